import type { ChannelAddress, ResolvedLocation } from '../../dto/address.js';
import { type LocationKind, UnknownLocationError } from '../../errors/lookup-errors.js';
import type { Query } from '../http-client.js';
import { TtlCache } from '../ttl-cache.js';
import { LocationJson } from '../wire/address.js';
import { all, type RestContext } from './context.js';

/**
 * Countries, cities, townships and districts: resolves an address's geography to Omnitron ids, each
 * answer remembered for the cache's time to live (misses are asked again).
 */
export class Geography {
  readonly #ctx: RestContext;
  readonly #locations: TtlCache<number>;

  constructor(ctx: RestContext, cacheTtl: number) {
    this.#ctx = ctx;
    this.#locations = new TtlCache(cacheTtl);
  }

  /**
   * Resolves an address's country, city, township and district: by code or name (case-insensitive), then
   * by the mapping a merchant made (`<channelId>_<value>`), each within the level above it.
   */
  async resolve(address: ChannelAddress): Promise<ResolvedLocation> {
    const country = await this.#resolve('country', 'countries/', address.country, {}, true);
    const city = await this.#resolve('city', 'cities/', address.city, { country });
    const township = address.township
      ? await this.#resolve('township', 'townships/', address.township, { country, city })
      : null;
    const district = address.district
      ? await this.#resolve('district', 'districts/', address.district, {
          country,
          city,
          ...(township !== null ? { township } : {}),
        })
      : null;
    return { country, city, township, district };
  }

  #resolve(
    kind: LocationKind,
    path: string,
    value: string,
    parents: Record<string, number>,
    byCode = false,
  ): Promise<number> {
    return this.#locations.remember(`${kind}|${value}|${JSON.stringify(parents)}`, () =>
      this.#lookUp(kind, path, value, parents, byCode),
    );
  }

  async #lookUp(
    kind: LocationKind,
    path: string,
    value: string,
    parents: Record<string, number>,
    byCode: boolean,
  ): Promise<number> {
    const remoteCode = `${this.#ctx.channelId}_${value}`;
    const queries: Query[] = [
      ...(byCode ? [{ code__exact: value, is_active: 'True' }] : []),
      { name__iexact: value, ...parents, is_active: 'True' },
      { mapping__code__exact: remoteCode, mapping__integration_type: 'sales_channel', ...parents },
    ];
    for (const query of queries) {
      const found = await all(this.#ctx, path, query, LocationJson);
      if (found.length === 1 && found[0]) return found[0].id;
    }
    throw new UnknownLocationError(kind, value, remoteCode, {
      ...(parents.country !== undefined ? { countryId: parents.country } : {}),
      ...(parents.city !== undefined ? { cityId: parents.city } : {}),
      ...(parents.township !== undefined ? { townshipId: parents.township } : {}),
    });
  }
}
