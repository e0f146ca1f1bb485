import type { OmnitronStore } from './omnitron-store.js';

/** A country of the seed. */
export interface SeedCountry {
  /** Name. */
  name: string;
  /** ISO code. */
  code: string;
}

/** A cargo company of the seed. */
export interface SeedCargoCompany {
  /** Display name. */
  name: string;
  /** The code marketplaces name it by. */
  erpCode: string;
  /** Omnitron's shipping integration for it, which order lines name their carrier by. */
  shippingCompany?: string;
}

/** Test data to fill a store with. */
export interface SeedData {
  /** The country, by name and ISO code. */
  country: SeedCountry;
  /** City → township → districts. */
  cities: Record<string, Record<string, readonly string[]>>;
  /** Cargo companies. */
  cargoCompanies: readonly SeedCargoCompany[];
  /** Marketplace product ids mapped to Omnitron products. */
  products: readonly string[];
  /** The channel's `conf` JSON. */
  conf: Record<string, unknown>;
}

/**
 * The default test data an `InMemoryOmnitron` starts with; the fixture builders use these names, so a
 * built order imports cleanly unless a test changes it.
 */
export const DEFAULT_SEED: SeedData = {
  country: { name: 'Türkiye', code: 'TR' },
  /** City → townships → districts. */
  cities: {
    İstanbul: { Kadıköy: ['Caferağa', 'Moda'], Beşiktaş: ['Levent'] },
    Ankara: { Çankaya: ['Kızılay'] },
    İzmir: { Konak: ['Alsancak'] },
  },
  cargoCompanies: [
    { name: 'Aras Kargo', erpCode: 'ARAS', shippingCompany: 'aras' },
    { name: 'Yurtiçi Kargo', erpCode: 'YURTICI', shippingCompany: 'yurtici' },
    { name: 'MNG Kargo', erpCode: 'MNG', shippingCompany: 'mng' },
  ],
  /** Marketplace product ids mapped to Omnitron products. */
  products: ['PROD-1', 'PROD-2', 'PROD-3', 'PROD-4', 'PROD-5'],
  /** The channel's order settings. */
  conf: {
    reason_mapping: { CUSTOMER_REQUEST: 1, OUT_OF_STOCK: 2, DAMAGED: 3 },
    CUSTOMER_IDENTIFIER_FIELD: 'email',
  },
};

/** Fills a store with {@link DEFAULT_SEED}. */
export function seedDefaults(store: OmnitronStore): void {
  const country = store.addLocation('country', DEFAULT_SEED.country.name, {
    code: DEFAULT_SEED.country.code,
  });
  for (const [city, townships] of Object.entries(DEFAULT_SEED.cities)) {
    const cityId = store.addLocation('city', city, { parent: country });
    for (const [township, districts] of Object.entries(townships)) {
      const townshipId = store.addLocation('township', township, { parent: cityId });
      for (const district of districts) store.addLocation('district', district, { parent: townshipId });
    }
  }
  for (const company of DEFAULT_SEED.cargoCompanies) store.addCargoCompany(company);
  for (const remoteId of DEFAULT_SEED.products) store.addProduct({ remoteId });
  store.channel.conf = structuredClone(DEFAULT_SEED.conf);
}
