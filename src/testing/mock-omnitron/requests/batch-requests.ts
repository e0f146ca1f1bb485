import { z } from 'zod';
import type { BatchRequestObject, BatchRequestTransition } from '../../../dto/batch-request.js';
import { contentTypeName, dateTime, nullableText, pk } from './shared.js';

/** `POST batch_requests/`: the reference's BatchRequest fields; the Python client sent `{channel}`. */
export const BatchRequestCreateBody = z.strictObject({ channel: pk });

/** One `objects` entry of a batch request (the reference's BatchRequestObject). */
const BatchObjectBody = z
  .strictObject({
    pk: pk,
    failed_reason_type: z.enum(['mapping', 'remote', 'channel_app']).nullable(),
    remote_id: z.string().max(255).nullable(),
    // Typed date-time and, unlike its neighbours, not nullable: the object's `modified_date`.
    version_date: dateTime,
    content_type: contentTypeName,
  })
  .transform(
    (o): BatchRequestObject => ({
      id: o.pk,
      contentType: o.content_type,
      remoteId: o.remote_id,
      failedReasonType: o.failed_reason_type,
      versionDate: o.version_date,
    }),
  );

/** `PATCH batch_requests/{pk}/`: every field optional, as on the reference's PUT. */
export const BatchRequestPatchBody = z
  .strictObject({
    channel: pk.optional(),
    status: z.enum(['initialized', 'commit', 'sent_to_remote', 'ongoing', 'done', 'fail']),
    content_type: contentTypeName.nullable().optional(),
    remote_batch_id: z.string().max(255).nullable().optional(),
    objects: z.array(BatchObjectBody).nullable().optional(),
    log_file: nullableText.optional(),
  })
  .transform((b, ctx): BatchRequestTransition => {
    const require = (field: string, present: boolean) => {
      if (!present)
        ctx.addIssue({ code: 'custom', path: [field], message: `This field is required on ${b.status}.` });
    };
    switch (b.status) {
      case 'commit':
        require('content_type', Boolean(b.content_type));
        return { status: 'commit', contentType: b.content_type ?? 'order', objects: b.objects ?? [] };
      case 'sent_to_remote':
        require('remote_batch_id', Boolean(b.remote_batch_id));
        return { status: 'sent_to_remote', remoteBatchId: b.remote_batch_id ?? '' };
      case 'ongoing':
        return { status: 'ongoing' };
      case 'done':
        return { status: 'done', objects: b.objects ?? [] };
      case 'fail':
        return { status: 'fail', objects: b.objects ?? null };
      default:
        ctx.addIssue({ code: 'custom', path: ['status'], message: 'Batch request cannot be updated.' });
        return { status: 'ongoing' };
    }
  });
