import type { ChannelAddress, ResolvedLocation } from '../../dto/address.js';
import { type LocationKind, UnknownLocationError } from '../../errors/lookup-errors.js';
import type { LocationRecord } from './records.js';
import type { StoreState } from './state.js';

/** Filters of Omnitron's location lists (`countries/`, `cities/`, `townships/`, `districts/`). */
export interface LocationFilter {
  /** Exact ISO code. */
  codeExact?: string;
  /** Exact name. */
  nameExact?: string;
  /** Case-insensitive name, as Django's `iexact`; compared with {@link normalizeName}. */
  nameIexact?: string;
  /** A merchant's mapping code, `<channelId>_<value>`. */
  mappingCode?: string;
  /** Within this country. */
  country?: number;
  /** Within this city. */
  city?: number;
  /** Within this township */
  township?: number;
  /** Whether Omnitron offers it. */
  isActive?: boolean;
}

/** Geography: locations, the merchant's location mappings, and retail stores. */
export class GeographyStore {
  readonly #state: StoreState;

  constructor(state: StoreState) {
    this.#state = state;
  }

  /** Adds a country, city, township or district; returns its id. */
  addLocation(
    kind: LocationKind,
    name: string,
    options: { parent?: number; code?: string; isActive?: boolean } = {},
  ): number {
    const id = this.#state.nextId();
    this.#state.locations.set(id, {
      id,
      kind,
      name,
      code: options.code ?? null,
      isActive: options.isActive ?? true,
      parent: options.parent ?? null,
    });
    return id;
  }

  /** Maps a marketplace location value to an Omnitron location, as a merchant does in the mapping screen. */
  mapLocation(kind: LocationKind, value: string, locationId: number): void {
    this.#state.locationMappings.set(`${kind}:${this.#state.channelId}_${value}`, locationId);
  }

  /** Adds a retail store by ERP code; returns its id. */
  addRetailStore(erpCode: string): number {
    const id = this.#state.nextId();
    this.#state.retailStores.set(erpCode, id);
    return id;
  }

  /** Resolves an address's geography by name, code or mapping; throws `UnknownLocationError`. */
  resolveLocation(address: ChannelAddress): ResolvedLocation {
    const locations = this.#state.locations;
    const country = this.#resolve('country', address.country, (l) => l.parent === null, {});
    const city = this.#resolve('city', address.city, (l) => l.parent === country, { countryId: country });
    const township = address.township
      ? this.#resolve('township', address.township, (l) => l.parent === city, {
          countryId: country,
          cityId: city,
        })
      : null;
    const district = address.district
      ? this.#resolve(
          'district',
          address.district,
          (l) => (township !== null ? l.parent === township : locations.get(l.parent ?? -1)?.parent === city),
          { countryId: country, cityId: city, ...(township !== null ? { townshipId: township } : {}) },
        )
      : null;
    return { country, city, township, district };
  }

  #resolve(
    kind: LocationKind,
    value: string,
    inParent: (l: LocationRecord) => boolean,
    context: { countryId?: number; cityId?: number; townshipId?: number },
  ): number {
    const wanted = normalizeName(value);
    for (const location of this.#state.locations.values()) {
      if (location.kind !== kind || !location.isActive || !inParent(location)) continue;
      if (
        normalizeName(location.name) === wanted ||
        (location.code !== null && normalizeName(location.code) === wanted)
      )
        return location.id;
    }
    const remoteCode = `${this.#state.channelId}_${value}`;
    const mapped = this.#state.locationMappings.get(`${kind}:${remoteCode}`);
    if (mapped !== undefined) return mapped;
    throw new UnknownLocationError(kind, value, remoteCode, context);
  }

  /** Locations of one level matching Omnitron's list filters. */
  listLocations(kind: LocationKind, filter: LocationFilter): LocationRecord[] {
    const mapped =
      filter.mappingCode === undefined
        ? undefined
        : this.#state.locationMappings.get(`${kind}:${filter.mappingCode}`);
    if (filter.mappingCode !== undefined && mapped === undefined) return [];
    return [...this.#state.locations.values()].filter((l) => {
      if (l.kind !== kind || (mapped !== undefined && l.id !== mapped)) return false;
      if (filter.isActive !== undefined && l.isActive !== filter.isActive) return false;
      if (filter.codeExact !== undefined && l.code !== filter.codeExact) return false;
      if (filter.nameExact !== undefined && l.name !== filter.nameExact) return false;
      if (filter.nameIexact !== undefined && normalizeName(l.name) !== normalizeName(filter.nameIexact))
        return false;
      const above = this.parentsOf(l);
      return (
        (filter.country === undefined || above.country === filter.country) &&
        (filter.city === undefined || above.city === filter.city) &&
        (filter.township === undefined || above.township === filter.township)
      );
    });
  }

  /** The country, city and township a location lies in. */
  parentsOf(location: LocationRecord): { country?: number; city?: number; township?: number } {
    const locations = this.#state.locations;
    const out: { country?: number; city?: number; township?: number } = {};
    let parent = location.parent === null ? undefined : locations.get(location.parent);
    while (parent) {
      if (parent.kind !== 'district') out[parent.kind] = parent.id;
      parent = parent.parent === null ? undefined : locations.get(parent.parent);
    }
    return out;
  }
}

/**
 * Compares place names the way a person would: case, accents and Turkish dotted/dotless i do not count,
 * so `İstanbul`, `istanbul` and `ISTANBUL` match.
 */
export function normalizeName(value: string): string {
  return value.trim().replace(/[ıİI]/g, 'i').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
