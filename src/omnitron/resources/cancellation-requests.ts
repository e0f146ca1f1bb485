import type { CancellationRequest, CancellationRequestCreate } from '../../dto/cancellation.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { CancellationRequestJson, cancellationRequestCreateToJson } from '../wire/cancellation-request.js';
import { list, type RestContext } from './context.js';

/** Cancellation requests changed in Omnitron that the marketplace has not been told of. */
export async function* listCancellationRequestUpdates(ctx: RestContext): AsyncIterable<CancellationRequest> {
  yield* list(ctx, 'cancellation_requests/updates/', {}, CancellationRequestJson);
}

/** The cancellation request with this remote id, or `null`. */
export async function findCancellationRequestByRemoteId(
  ctx: RestContext,
  remoteId: string,
): Promise<CancellationRequest | null> {
  // Omnitron's reference lists no filter of cancellation requests (`remote_id` is what the Python client
  // used, and no documented filter identifies a request). A server that ignores the filter answers with
  // every request, so each item is checked, and paging stops at the first match instead of reading all of
  // them. Not finding it still reads every page: stopping early there could create the request twice.
  for await (const request of list(
    ctx,
    'cancellation_requests/',
    { remote_id: remoteId },
    CancellationRequestJson,
  )) {
    if (request.remoteId === remoteId) return request;
  }
  return null;
}

/** Creates a cancellation request; one whose fate is unknown is looked up (by `find`) before it is sent again. */
export function createCancellationRequest(
  ctx: RestContext,
  request: CancellationRequestCreate,
  find: (remoteId: string) => Promise<CancellationRequest | null>,
): Promise<CancellationRequest> {
  return createBehindLookup(
    () =>
      ctx.http.request('POST', ctx.channelPath('cancellation_requests/'), {
        json: cancellationRequestCreateToJson(request),
        schema: CancellationRequestJson,
      }),
    () => find(request.remoteId),
    ctx.creates(`cancellation request ${request.remoteId}`),
  );
}
