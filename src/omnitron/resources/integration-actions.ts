import type { IntegrationAction, IntegrationActionFilter } from '../../dto/integration-action.js';
import { IntegrationActionJson } from '../wire/integration-action.js';
import { allIn, type RestContext } from './context.js';

/** Omnitron product ids of marketplace product ids, by the channel's product integration actions. */
export async function getProductIds(
  ctx: RestContext,
  remoteIds: readonly string[],
): Promise<Map<string, number>> {
  const actions = await allIn(
    ctx,
    'integration_actions/',
    { channel: ctx.channelId, content_type_name: 'product', sort: 'id' },
    'remote_id__in',
    remoteIds,
    IntegrationActionJson,
  );
  const wanted = new Set(remoteIds);
  return new Map(
    actions
      .filter((a) => a.remoteId !== null && wanted.has(a.remoteId))
      .map((a) => [a.remoteId as string, a.objectId]),
  );
}

/** The channel's integration actions of a content type, by remote ids or by object ids. */
export function listIntegrationActions(
  ctx: RestContext,
  filter: IntegrationActionFilter,
): Promise<IntegrationAction[]> {
  const query = { channel: ctx.channelId, content_type_name: filter.contentType, sort: 'id' };
  return 'remoteIds' in filter
    ? allIn(ctx, 'integration_actions/', query, 'remote_id__in', filter.remoteIds, IntegrationActionJson)
    : allIn(ctx, 'integration_actions/', query, 'object_id__in', filter.objectIds, IntegrationActionJson);
}
