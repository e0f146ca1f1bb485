import { type Address, addressHash, type ChannelAddress } from '../../dto/address.js';
import {
  type ChannelCustomer,
  type Customer,
  type CustomerIdentifierField,
  customerChanges,
  customerIdentifier,
} from '../../dto/customer.js';
import { CreateFateUnknownError } from '../../errors/omnitron-errors.js';
import type { CreateOptions, OmnitronIntegration } from '../../integrations/omnitron-integration.js';
import type { KeyedLock } from '../../locks/keyed-lock.js';
import { ORDER_SIZES } from '../defaults.js';
import { withCreateLock } from './create-lock.js';

/** Entries kept per kind; the oldest go first, so a run over many distinct customers stays bounded. */
const LIMIT = ORDER_SIZES.importCacheEntries;

/** Sets a key, dropping the oldest entry once the map is full (a Map iterates in insertion order). */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value as K);
}

/** Whether a failure says the create may still be on its way: nothing is asked again before it settles. */
function unsettled(error: unknown): error is CreateFateUnknownError {
  return error instanceof CreateFateUnknownError && Date.now() < error.settleUntil;
}

/**
 * What one import run learns once and re-uses: customers, addresses and product mappings. Look-ups of the
 * same key share one request (so concurrent orders of a new customer create it once). Failures are not
 * kept: the next order asks again.
 *
 * Find-or-create of a customer or an address runs under the shared lock of its key, so another run (a
 * second service, a webhook beside a scheduled import, another process with a Redis lock) that wants the
 * same one waits, then finds it instead of creating it again. A create whose fate is unknown
 * (`CreateFateUnknownError`, with `deferUnknown`) is not sent again by this run before it settles: every
 * order that needs it meanwhile (and defers too) fails the same way, and is parked with it; a caller that
 * does not defer (a parked order's retry) asks Omnitron again, which looks it up first.
 */
export class ImportCache {
  readonly #omnitron: OmnitronIntegration;
  readonly #lock: KeyedLock;
  readonly #customers = new Map<string, Promise<Customer>>();
  readonly #addresses = new Map<string, Promise<Address>>();
  readonly #products = new Map<string, number>();
  /** Product ids asked for and not answered yet, so concurrent orders share one request. */
  readonly #productsAsked = new Map<string, Promise<number | undefined>>();

  constructor(omnitron: OmnitronIntegration, lock: KeyedLock) {
    this.#omnitron = omnitron;
    this.#lock = lock;
  }

  /** Runs a find-or-create under the shared lock of its key, namespaced by Omnitron and channel. */
  #locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withCreateLock(this.#lock, `${this.#omnitron.lockNamespace}:${key}`, fn);
  }

  /**
   * The customer for a marketplace customer. Orders of one customer take turns, so the second sees what
   * the first stored; Omnitron is asked again only when the marketplace's data differs from it.
   */
  customer(
    incoming: ChannelCustomer,
    field: CustomerIdentifierField,
    create: CreateOptions = {},
  ): Promise<Customer> {
    const key = `${field}:${customerIdentifier(incoming, field).toLowerCase()}`;
    const previous = this.#customers.get(key);
    const next = (async () => {
      const known = previous
        ? await previous.catch((error: unknown) => {
            if (create.deferUnknown && unsettled(error)) throw error;
            return undefined;
          })
        : undefined;
      if (known && Object.keys(customerChanges(known, incoming)).length === 0) return known;
      return this.#locked(`customer:${key}`, () =>
        this.#omnitron.getOrCreateCustomer(incoming, field, create),
      );
    })();
    remember(this.#customers, key, next);
    return next;
  }

  /** The customer's address with this content: one look-up per distinct address in a run. */
  address(customer: Customer, address: ChannelAddress, create: CreateOptions = {}): Promise<Address> {
    const key = `${customer.id}:${addressHash(customer.id, address)}`;
    const cached = this.#addresses.get(key);
    if (!cached) return this.#askAddress(key, customer, address, create);
    return cached.catch((error: unknown) => {
      if (create.deferUnknown && unsettled(error)) throw error;
      return this.#askAddress(key, customer, address, create);
    });
  }

  /** Asks Omnitron for an address and remembers the answer; a failure is forgotten unless it may settle. */
  #askAddress(key: string, customer: Customer, address: ChannelAddress, create: CreateOptions) {
    const asked = this.#locked(`address:${key}`, () =>
      this.#omnitron.getOrCreateAddress(customer, address, create),
    );
    remember(this.#addresses, key, asked);
    asked.catch((error: unknown) => {
      if (!unsettled(error) && this.#addresses.get(key) === asked) this.#addresses.delete(key);
    });
    return asked;
  }

  /** Omnitron product ids for marketplace product ids; only ids not yet known are looked up. */
  async productIds(remoteIds: readonly string[]): Promise<Map<string, number>> {
    // Ids neither known nor being asked for by another order are asked for in one request; orders that
    // need an id already asked for wait for that answer instead of asking again.
    const ask = [...new Set(remoteIds)].filter(
      (id) => !this.#products.has(id) && !this.#productsAsked.has(id),
    );
    if (ask.length > 0) {
      const asked = this.#omnitron.getProductIds(ask);
      for (const remoteId of ask) {
        const one = asked.then((found) => found.get(remoteId));
        this.#productsAsked.set(remoteId, one);
        // An answer (or failure) is not kept here: a found id is remembered below, a missing one asked again.
        void one
          .catch(() => undefined)
          .finally(() => {
            if (this.#productsAsked.get(remoteId) === one) this.#productsAsked.delete(remoteId);
          });
      }
    }
    // Taken before any wait: an answered id leaves `#productsAsked` as soon as its answer is in.
    const pending = remoteIds.map(
      (remoteId) => [remoteId, this.#products.get(remoteId) ?? this.#productsAsked.get(remoteId)] as const,
    );
    const out = new Map<string, number>();
    for (const [remoteId, answer] of pending) {
      const id = await answer;
      if (id === undefined) continue;
      remember(this.#products, remoteId, id);
      out.set(remoteId, id);
    }
    return out;
  }
}

/**
 * How long consecutive runs of orders given by the caller share one {@link ImportCache}. A webhook worker
 * imports a few orders per run, many runs a minute: a cache per run would look every customer and address
 * up again in each. A minute is well within what one long `fetchAndCreateOrder` run keeps its cache for.
 */
export const GIVEN_ORDERS_CACHE_LIFETIME = 60_000;

/**
 * An {@link ImportCache} shared by the runs that import orders given by the caller (`createOrder`,
 * `createOrders`), replaced by a fresh one once it is {@link GIVEN_ORDERS_CACHE_LIFETIME} old, so nothing
 * it learned is trusted for longer than a long import would trust it.
 */
export class SharedImportCache {
  readonly #omnitron: OmnitronIntegration;
  readonly #lock: KeyedLock;
  #cache: ImportCache | undefined;
  #since = 0;

  constructor(omnitron: OmnitronIntegration, lock: KeyedLock) {
    this.#omnitron = omnitron;
    this.#lock = lock;
  }

  /** The cache a run starting now uses. */
  current(): ImportCache {
    const now = Date.now();
    if (!this.#cache || now - this.#since >= GIVEN_ORDERS_CACHE_LIFETIME) {
      this.#cache = new ImportCache(this.#omnitron, this.#lock);
      this.#since = now;
    }
    return this.#cache;
  }
}
