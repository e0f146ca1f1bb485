import type { BatchRequest, BatchRequestStatus, BatchRequestTransition } from '../../dto/batch-request.js';
import type { ContentTypeName } from '../../dto/common.js';
import { BatchTransitionError, OmnitronConflictError } from '../../errors/omnitron-errors.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { FilterIgnored } from '../undocumented-filters.js';
import { BatchRequestJson, BatchRequestStatusJson, transitionToJson } from '../wire/batch-request.js';
import { feed, list, type RestContext } from './context.js';

/** Creates a batch request of the channel. */
export function createBatchRequest(ctx: RestContext): Promise<BatchRequest> {
  // A batch cannot be looked up (its create carries nothing to find it by), so one whose fate is unknown
  // is sent again: the extra batch stays in `initialized`, holds nothing, blocks nothing, and the next
  // run closes it once stale. One answered 2xx is never sent again (`createBehindLookup`).
  return createBehindLookup(
    () =>
      ctx.http.request('POST', ctx.hooks.channelPath('batch_requests/'), {
        json: { channel: ctx.channelId },
        schema: BatchRequestJson,
      }),
    null,
    ctx.creates('batch request'),
  );
}

/** Moves a batch request on; a conflict because it already moved there (a retried PATCH) is success. */
export async function transitionBatchRequest(
  ctx: RestContext,
  id: number,
  transition: BatchRequestTransition,
): Promise<BatchRequest> {
  const path = ctx.hooks.channelPath(`batch_requests/${id}/`);
  try {
    return await ctx.http.request('PATCH', path, {
      json: transitionToJson(transition, ctx.channelId),
      schema: BatchRequestStatusJson,
    });
  } catch (error) {
    if (!(error instanceof OmnitronConflictError)) throw error;
    // A retried PATCH whose first answer was lost finds the batch already moved: that is success.
    // `GET batch_requests/{id}/` is in Omnitron's public API reference (200, or 404 when unknown), which
    // is authoritative; the list route's filters are documented nowhere (an `id` filter a server ignored
    // would answer with every batch), and a list by status would page through every finished batch.
    const current = await ctx.http.request('GET', path, { schema: BatchRequestJson });
    if (current.status === transition.status) return current;
    throw new BatchTransitionError(
      id,
      current.status,
      transition.status,
      `Omnitron refused it (${error.omnitronCode ?? 'conflict'})`,
      {
        cause: error,
        http: error.http,
        ...(error.omnitronCode ? { omnitronCode: error.omnitronCode } : {}),
      },
    );
  }
}

/**
 * The channel's batch requests in these statuses (and of this content type), by id. The `status` and
 * `content_type` filters are the Python client's, but Omnitron's public reference shows no filter of the
 * list, so the filtered lists are an attempt through `UndocumentedFilters`: an answer holding a batch that
 * does not match shows the filters ignored, and then, as on any failure, the plain list of the channel's
 * batch requests is read once and filtered here.
 *
 * Each filtered list is read as a feed (see `feed`): its readers move the batches they read out of it
 * (the stale ones are closed, the finished ones done), so an Omnitron that ignores `?page=` hands over its
 * first page per read rather than failing every read once a status holds more batches than a page. Such a
 * failure would also switch the filters off for good, and the plain list they fall back to (every batch
 * the channel ever had) cannot be read past its first page there either.
 */
export async function* listBatchRequests(
  ctx: RestContext,
  filter: { statuses: readonly BatchRequestStatus[]; contentType?: ContentTypeName },
): AsyncIterable<BatchRequest> {
  const matches = (batch: BatchRequest) =>
    filter.statuses.includes(batch.status) &&
    (filter.contentType === undefined || batch.contentType === filter.contentType);
  const batches = await ctx.filters.use(
    'batch_requests/?status',
    async () => {
      const found: BatchRequest[] = [];
      // One query per status: whether Omnitron honours a repeated `status` key is not known.
      for (const status of filter.statuses) {
        const query = { status, content_type: filter.contentType, channel: ctx.channelId, sort: 'id' };
        for await (const batch of feed(ctx, 'batch_requests/', query, BatchRequestJson)) {
          // A server that ignored a filter must not hand over another flow's batches.
          if (batch.status !== status || !matches(batch)) throw new FilterIgnored('batch requests');
          found.push(batch);
        }
      }
      return found;
    },
    async () => {
      const found: BatchRequest[] = [];
      for await (const batch of list(ctx, 'batch_requests/', { channel: ctx.channelId }, BatchRequestJson))
        if (matches(batch)) found.push(batch);
      return found;
    },
  );
  yield* batches.sort((a, b) => a.id - b.id);
}
