import { z } from 'zod';
import type { IntegrationAction } from '../../dto/integration-action.js';
import { optionalText, WirePk, withPk } from './common.js';

/** An integration action on the wire; `content_type` is an object `{id, model}`. */
export const IntegrationActionJson = withPk({
  content_type: z.object({ model: z.string() }),
  object_id: WirePk,
  remote_id: optionalText,
  version_date: optionalText,
  local_batch_id: optionalText,
}).transform(
  (a): IntegrationAction => ({
    id: a.pk,
    contentType: a.content_type.model,
    objectId: a.object_id,
    remoteId: a.remote_id,
    versionDate: a.version_date,
    localBatchId: a.local_batch_id,
  }),
);

/** An integration action as Omnitron's JSON. */
export function integrationActionToJson(a: IntegrationAction, channelId: number, contentTypeId: number) {
  return {
    pk: a.id,
    channel: channelId,
    content_type: { id: contentTypeId, model: a.contentType },
    object_id: a.objectId,
    remote_id: a.remoteId,
    version_date: a.versionDate,
    local_batch_id: a.localBatchId,
  };
}
