import type { CancellationRequest, CancellationRequestCreate } from '../../dto/cancellation.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import type { Query } from '../http-client.js';
import { InFilterLookup } from '../in-filter-lookup.js';
import { FilterIgnored } from '../undocumented-filters.js';
import { CancellationRequestJson, cancellationRequestCreateToJson } from '../wire/cancellation-request.js';
import { feed, list, type RestContext } from './context.js';

/** Cancellation requests changed in Omnitron that the marketplace has not been told of. */
export async function* listCancellationRequestUpdates(ctx: RestContext): AsyncIterable<CancellationRequest> {
  yield* feed(ctx, 'cancellation_requests/updates/', {}, CancellationRequestJson);
}

/**
 * The cancellation request with this remote id, or `null`. Omnitron's references list no filter of
 * cancellation requests (`remote_id` is what the Python client used), so the filtered list is an attempt
 * through `UndocumentedFilters`: on any failure the documented plain list of the channel's requests is
 * read instead. An answer holding another request shows the filter ignored: it is switched off too, and
 * that answer, which is the plain list, is read on. Either way every item is checked and paging stops at
 * the first match; not finding it reads every page, as stopping early could create the request twice.
 */
export async function findCancellationRequestByRemoteId(
  ctx: RestContext,
  remoteId: string,
): Promise<CancellationRequest | null> {
  const filter = 'cancellation_requests/?remote_id';
  const firstMatch = async (query: Query) => {
    for await (const request of list(ctx, 'cancellation_requests/', query, CancellationRequestJson)) {
      if (request.remoteId === remoteId) return request;
      ctx.filters.switchOff(filter, new FilterIgnored('cancellation requests of other remote ids'));
    }
    return null;
  };
  return ctx.filters.use(
    filter,
    () => firstMatch({ remote_id: remoteId }),
    () => firstMatch({}),
  );
}

/**
 * Cancellation requests by remote id, 50 ids per request with `cancellation_requests/?remote_id__in`
 * (undocumented: checked, with a fallback to {@link findCancellationRequestByRemoteId}, one id at a time:
 * see {@link InFilterLookup}).
 */
export class CancellationRequestsByRemoteId {
  readonly #lookup: InFilterLookup<CancellationRequest>;

  constructor(ctx: RestContext) {
    this.#lookup = new InFilterLookup<CancellationRequest>(
      {
        filter: 'cancellation_requests/?remote_id__in',
        what: 'cancellation requests',
        keyOf: (request) => request.remoteId ?? '',
      },
      {
        listIn: (remoteIds) =>
          list(
            ctx,
            'cancellation_requests/',
            { remote_id__in: remoteIds.join(',') },
            CancellationRequestJson,
          ),
        findEach: async (remoteIds) => {
          const found = new Map<string, CancellationRequest[]>();
          for (const remoteId of remoteIds) {
            const request = await findCancellationRequestByRemoteId(ctx, remoteId);
            if (request) found.set(remoteId, [request]);
          }
          return found;
        },
      },
      ctx.filters,
    );
  }

  /** The requests with these remote ids, by remote id; an id with none is absent. */
  async find(remoteIds: readonly string[]): Promise<Map<string, CancellationRequest>> {
    const found = await this.#lookup.find(remoteIds);
    return new Map(
      [...found].flatMap(([remoteId, [request]]) => (request ? [[remoteId, request] as const] : [])),
    );
  }
}

/**
 * Creates a cancellation request; one whose fate is unknown is looked up by its remote id (see
 * {@link findCancellationRequestByRemoteId}) before it is sent again.
 */
export function createCancellationRequest(
  ctx: RestContext,
  request: CancellationRequestCreate,
): Promise<CancellationRequest> {
  return createBehindLookup(
    () =>
      ctx.http.request('POST', ctx.hooks.channelPath('cancellation_requests/'), {
        json: cancellationRequestCreateToJson(request),
        schema: CancellationRequestJson,
      }),
    () => findCancellationRequestByRemoteId(ctx, request.remoteId),
    ctx.creates(`cancellation request ${request.remoteId}`),
  );
}
