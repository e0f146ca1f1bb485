import pMap from 'p-map';
import type { IntegrationAction, IntegrationActionFilter } from '../../dto/integration-action.js';
import { FALLBACK_AT_ONCE, InFilterLookup } from '../in-filter-lookup.js';
import { IntegrationActionJson } from '../wire/integration-action.js';
import { all, list, type RestContext } from './context.js';

/** Omnitron product ids of marketplace product ids, by the channel's product integration actions. */
export async function getProductIds(
  ctx: RestContext,
  remoteIds: readonly string[],
): Promise<Map<string, number>> {
  const found = await byRemoteIds(ctx, 'product').find(remoteIds);
  return new Map(
    [...found].flatMap(([remoteId, actions]) => {
      // The last (by id) wins, as when the answer was read into a map.
      const action = actions.at(-1);
      return action ? [[remoteId, action.objectId] as const] : [];
    }),
  );
}

/** The channel's integration actions of a content type, by remote ids or by object ids. */
export async function listIntegrationActions(
  ctx: RestContext,
  filter: IntegrationActionFilter,
): Promise<IntegrationAction[]> {
  const [lookup, keys] =
    'remoteIds' in filter
      ? [byRemoteIds(ctx, filter.contentType), filter.remoteIds]
      : [byObjectIds(ctx, filter.contentType), filter.objectIds.map(String)];
  const found = await lookup.find(keys);
  return [...new Set(keys)].flatMap((key) => found.get(key) ?? []);
}

/**
 * Integration actions by remote id: 50 at a time with `remote_id__in` (the Python client's, not in
 * Omnitron's public reference), else one at a time with `remote_id__exact` (the Python client's documented
 * look-up of one order or item), see {@link InFilterLookup}.
 */
function byRemoteIds(ctx: RestContext, contentType: string): InFilterLookup<IntegrationAction> {
  const query = { channel: ctx.channelId, content_type_name: contentType, sort: 'id' };
  return new InFilterLookup<IntegrationAction>(
    {
      filter: 'integration_actions/?remote_id__in',
      what: 'integration actions',
      keyOf: (a) => a.remoteId ?? '',
    },
    {
      listIn: (keys) =>
        list(ctx, 'integration_actions/', { ...query, remote_id__in: keys.join(',') }, IntegrationActionJson),
      findEach: (keys) =>
        each(keys, async (key) =>
          (
            await all(ctx, 'integration_actions/', { ...query, remote_id__exact: key }, IntegrationActionJson)
          ).filter((a) => a.remoteId === key),
        ),
    },
    ctx.filters,
  );
}

/**
 * Integration actions by object id: 50 at a time with `object_id__in`, else one at a time with
 * `object_id` (both the Python client's; only the latter names one object), see {@link InFilterLookup}.
 */
function byObjectIds(ctx: RestContext, contentType: string): InFilterLookup<IntegrationAction> {
  const query = { channel: ctx.channelId, content_type_name: contentType, sort: 'id' };
  return new InFilterLookup<IntegrationAction>(
    {
      filter: 'integration_actions/?object_id__in',
      what: 'integration actions',
      keyOf: (a) => String(a.objectId),
    },
    {
      listIn: (keys) =>
        list(ctx, 'integration_actions/', { ...query, object_id__in: keys.join(',') }, IntegrationActionJson),
      findEach: (keys) =>
        each(keys, async (key) =>
          (
            await all(ctx, 'integration_actions/', { ...query, object_id: key }, IntegrationActionJson)
          ).filter((a) => String(a.objectId) === key),
        ),
    },
    ctx.filters,
  );
}

/** Looks each key up, a few at once; keys with nothing found are left out. */
async function each(
  keys: readonly string[],
  find: (key: string) => Promise<IntegrationAction[]>,
): Promise<Map<string, IntegrationAction[]>> {
  const found = await pMap(keys, async (key) => [key, await find(key)] as const, {
    concurrency: FALLBACK_AT_ONCE,
  });
  return new Map(found.filter(([, actions]) => actions.length > 0));
}
