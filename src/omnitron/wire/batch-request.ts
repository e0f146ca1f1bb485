import { z } from 'zod';
import type { BatchRequest, BatchRequestObject, BatchRequestTransition } from '../../dto/batch-request.js';
import { BatchRequestStatus, FailedReasonType } from '../../dto/batch-request.js';
import { ContentTypeName } from '../../dto/common.js';
import { optionalText, WirePk, withPk } from './common.js';

/** A batch object on the wire. */
export const BatchObjectJson = z
  .object({
    pk: WirePk,
    content_type: ContentTypeName,
    remote_id: optionalText,
    failed_reason_type: FailedReasonType.nullable().optional(),
    version_date: optionalText,
  })
  .transform(
    (o): BatchRequestObject => ({
      id: o.pk,
      contentType: o.content_type,
      remoteId: o.remote_id,
      failedReasonType: o.failed_reason_type ?? null,
      versionDate: o.version_date,
    }),
  );

/**
 * The fields of a batch request on the wire, besides its objects. Only what the SDK uses is required: the
 * id, the status, `local_batch_id` (error report codes start with it) and `modified_date` (stale batches
 * are told by it; error reports carry it). A missing `created_date` is no reason to doubt the answer.
 */
const batchRequestFields = {
  local_batch_id: z.string(),
  remote_batch_id: optionalText,
  content_type: optionalText,
  status: BatchRequestStatus,
  created_date: optionalText,
  modified_date: z.string(),
};

function toBatchRequest(
  b: z.infer<z.ZodObject<typeof batchRequestFields>> & { pk: number },
  objects: BatchRequestObject[] | null,
): BatchRequest {
  return {
    id: b.pk,
    localBatchId: b.local_batch_id,
    remoteBatchId: b.remote_batch_id,
    contentType: b.content_type,
    status: b.status,
    objects,
    createdDate: b.created_date,
    modifiedDate: b.modified_date,
  };
}

/** A batch request on the wire. */
export const BatchRequestJson = withPk({
  ...batchRequestFields,
  objects: z.array(BatchObjectJson).nullable().optional(),
}).transform((b) => toBatchRequest(b, b.objects ?? null));

/**
 * A batch request answering a status change. Its objects are left unread: the caller keeps its own list,
 * and reading thousands of them after every commit of a long run costs time and memory for nothing.
 */
export const BatchRequestStatusJson = withPk(batchRequestFields).transform((b) => toBatchRequest(b, null));

/** A batch object as Omnitron's JSON. */
export function batchObjectToJson(o: BatchRequestObject) {
  return {
    pk: o.id,
    failed_reason_type: o.failedReasonType,
    remote_id: o.remoteId,
    version_date: o.versionDate,
    content_type: o.contentType,
  };
}

/** A batch request as Omnitron's JSON. */
export function batchRequestToJson(b: BatchRequest, channelId: number) {
  return {
    pk: b.id,
    channel: channelId,
    local_batch_id: b.localBatchId,
    remote_batch_id: b.remoteBatchId,
    content_type: b.contentType,
    status: b.status,
    objects: b.objects?.map(batchObjectToJson) ?? null,
    created_date: b.createdDate,
    modified_date: b.modifiedDate,
  };
}

/** The PATCH body of a status change: `content_type` only on commit, `remote_batch_id` on sent_to_remote. */
export function transitionToJson(t: BatchRequestTransition, channelId: number) {
  // `channel` is an integer in the reference's BatchRequest (the Python client sent a string).
  const base = { channel: channelId, status: t.status };
  switch (t.status) {
    case 'commit':
      return { ...base, content_type: t.contentType, objects: t.objects.map(batchObjectToJson) };
    case 'sent_to_remote':
      return { ...base, remote_batch_id: t.remoteBatchId };
    case 'ongoing':
      return base;
    case 'done':
      return { ...base, objects: t.objects.map(batchObjectToJson) };
    case 'fail':
      return { ...base, objects: t.objects?.map(batchObjectToJson) ?? null };
  }
}

/** A status change PATCH body parsed back into a transition (the mock server's side). */
export const TransitionJson = z
  .object({
    status: BatchRequestStatus,
    content_type: ContentTypeName.optional(),
    remote_batch_id: z.string().optional(),
    objects: z.array(BatchObjectJson).nullable().optional(),
  })
  .transform((b, ctx): BatchRequestTransition => {
    switch (b.status) {
      case 'commit':
        if (!b.content_type)
          ctx.addIssue({ code: 'custom', path: ['content_type'], message: 'is required on commit' });
        return { status: 'commit', contentType: b.content_type ?? 'order', objects: b.objects ?? [] };
      case 'sent_to_remote':
        if (!b.remote_batch_id)
          ctx.addIssue({ code: 'custom', path: ['remote_batch_id'], message: 'is required' });
        return { status: 'sent_to_remote', remoteBatchId: b.remote_batch_id ?? '' };
      case 'ongoing':
        return { status: 'ongoing' };
      case 'done':
        return { status: 'done', objects: b.objects ?? [] };
      default:
        return { status: 'fail', objects: b.objects ?? null };
    }
  });
