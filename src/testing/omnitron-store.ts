import { randomUUID } from 'node:crypto';
import { canTransition } from '../batch/batch-request-state.js';
import { type Address, addressHash, type ChannelAddress, type ResolvedLocation } from '../dto/address.js';
import type {
  BatchRequest,
  BatchRequestObject,
  BatchRequestStatus,
  BatchRequestTransition,
} from '../dto/batch-request.js';
import type {
  CancellationRequest,
  CancellationRequestCreate,
  OrderCancelRequest,
} from '../dto/cancellation.js';
import type { CargoCompany } from '../dto/cargo-company.js';
import { type Channel, ChannelConf } from '../dto/channel.js';
import type { ContentTypeName } from '../dto/common.js';
import {
  type ChannelCustomer,
  type Customer,
  type CustomerChanges,
  type CustomerIdentifierField,
  customerChanges,
  customerIdentifier,
} from '../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../dto/error-report.js';
import type { IntegrationAction, IntegrationActionFilter } from '../dto/integration-action.js';
import { type Order, type OrderCreate, type OrderItem, OrderStatus } from '../dto/order.js';
import type { OrderItemPatch } from '../dto/order-item-update.js';
import { BATCH_TRANSITION_REJECTED_CODE, BatchTransitionError } from '../errors/batch-transition-error.js';
import { CargoCompanyNotFoundError } from '../errors/cargo-company-not-found-error.js';
import { DuplicateOrderError } from '../errors/duplicate-order-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import { OmnitronNotFoundError } from '../errors/omnitron-not-found-error.js';
import { OmnitronValidationError } from '../errors/omnitron-validation-error.js';
import { type LocationKind, UnknownLocationError } from '../errors/unknown-location-error.js';
import type { AddressCreate } from '../omnitron/wire/address.js';

/** A country, city, township or district, with the id of the level above it. */
export interface LocationRecord {
  /** Omnitron id. */
  id: number;
  /** The level. */
  kind: LocationKind;
  /** Name. */
  name: string;
  /** ISO code, for countries. */
  code: string | null;
  /** Whether Omnitron offers it. */
  isActive: boolean;
  /** Country of a city, city of a township, township of a district; `null` for a country. */
  parent: number | null;
}

/** A product in Omnitron's catalog. */
export interface ProductRecord {
  /** Omnitron id. */
  id: number;
  /** Stock keeping unit. */
  sku: string;
  /** Name. */
  name: string;
}

/** An error report as stored, with its id. */
export type StoredErrorReport = ErrorReport & {
  /** Its id in the store. */
  id: number;
};

/** The channel as the store keeps it. */
export interface StoreChannel {
  /** Display name. */
  name: string;
  /** Whether flows run for it. */
  isActive: boolean;
  /** Its `conf` JSON, as Omnitron holds it. */
  conf: Record<string, unknown>;
}

/** The catalog as the store keeps it. */
export interface StoreCatalog {
  /** Omnitron id. */
  id: number;
  /** Default price list of new order items. */
  priceList: number;
  /** Default stock list of new order items. */
  stockList: number;
}

/** A cancel Omnitron carried out, for assertions. */
export interface CancellationRecord {
  /** The order. */
  orderId: number;
  /** What was cancelled. */
  request: OrderCancelRequest;
  /** When. */
  at: string;
}

/** Options of {@link OmnitronStore}. */
export interface OmnitronStoreOptions {
  /** Omnitron id of the channel (default 1). */
  channelId?: number;
  /** Where time comes from (default the system clock); modified dates always move forward. */
  clock?: () => Date;
}

/** Omnitron's content type ids for the models the flows use (fixed, like a real installation's). */
export const CONTENT_TYPE_IDS: Readonly<Record<ContentTypeName, number>> = {
  order: 11,
  orderitem: 12,
  cancellationrequest: 13,
  batchrequest: 14,
  channel: 15,
  product: 16,
  integrationaction: 17,
};

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

/** Statuses in which a batch request still holds its objects. */
const OPEN_BATCH: readonly BatchRequestStatus[] = ['commit', 'sent_to_remote', 'ongoing'];

/**
 * The state of one Omnitron channel, kept in memory, with the rules the real Omnitron enforces: legal batch
 * transitions only, one committed batch per content type at a time, unique order numbers per channel,
 * unknown locations, cargo companies and products rejected, and integration actions created from a batch's
 * objects when it reaches `done`. `InMemoryOmnitron` and the mock Omnitron server both serve it.
 */
export class OmnitronStore {
  /** Omnitron id of the channel. */
  readonly channelId: number;
  /** The channel: name, whether it is active, and its `conf` JSON (order settings live there). */
  channel: StoreChannel = { name: 'Test channel', isActive: true, conf: {} };
  /** The catalog whose price and stock lists new order items default to. */
  catalog: StoreCatalog = { id: 1, priceList: 1, stockList: 1 };
  /** Countries, cities, townships and districts by id. */
  readonly locations = new Map<number, LocationRecord>();
  /** Location id per `<kind>:<channelId>_<value>` mapping code. */
  readonly locationMappings = new Map<string, number>();
  /** Retail store ids by ERP code. */
  readonly retailStores = new Map<string, number>();
  /** Cargo companies by id. */
  readonly cargoCompanies = new Map<number, CargoCompany>();
  /** Products by id. */
  readonly products = new Map<number, ProductRecord>();
  /** Customers by id. */
  readonly customers = new Map<number, Customer>();
  /** Addresses by id. */
  readonly addresses = new Map<number, Address>();
  /** Orders by id. */
  readonly orders = new Map<number, Order>();
  /** Order items by id. */
  readonly orderItems = new Map<number, OrderItem>();
  /** Integration actions by id. */
  readonly integrationActions = new Map<number, IntegrationAction>();
  /** Batch requests by id. */
  readonly batchRequests = new Map<number, BatchRequest>();
  /** Cancellation requests by id. */
  readonly cancellationRequests = new Map<number, CancellationRequest>();
  /** Sales Channel Logs rows, in the order they were written. */
  readonly errorReports: StoredErrorReport[] = [];
  /** Address-mapping reports, in the order they were written. */
  readonly addressErrorReports: AddressErrorReport[] = [];
  /** Cancels carried out, in order. */
  readonly cancellations: CancellationRecord[] = [];
  // Indexes, so a store with 100 000 orders answers as fast as one with ten. Change state through the
  // methods: the maps above are for reading.
  readonly #orderByNumber = new Map<string, number>();
  readonly #itemsByOrder = new Map<number, number[]>();
  readonly #actionByObject = new Map<string, IntegrationAction>();
  readonly #actionsByRemote = new Map<string, Set<IntegrationAction>>();
  readonly #addressByHash = new Map<string, number>();
  readonly #customersByKey = new Map<string, Set<number>>();
  readonly #requestByRemoteId = new Map<string, number>();
  readonly #clock: () => Date;
  #lastTime = 0;
  #nextId = 1;

  constructor(options: OmnitronStoreOptions = {}) {
    this.channelId = options.channelId ?? 1;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** The current time as an ISO string, strictly later than the previous one, so versions always order. */
  now(): string {
    const time = Math.max(this.#clock().getTime(), this.#lastTime + 1);
    this.#lastTime = time;
    return new Date(time).toISOString();
  }

  #id(): number {
    return this.#nextId++;
  }

  // Seeding

  /** Adds a country, city, township or district; returns its id. */
  addLocation(
    /** The level. */
    kind: LocationKind,
    name: string,
    options: { parent?: number; code?: string; isActive?: boolean } = {},
  ): number {
    const id = this.#id();
    this.locations.set(id, {
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
    this.locationMappings.set(`${kind}:${this.channelId}_${value}`, locationId);
  }

  /** Adds a retail store by ERP code; returns its id. */
  addRetailStore(erpCode: string): number {
    const id = this.#id();
    this.retailStores.set(erpCode, id);
    return id;
  }

  /** Adds a cargo company; returns it. */
  addCargoCompany(input: { name: string; erpCode: string; shippingCompany?: string }): CargoCompany {
    const company = {
      id: this.#id(),
      name: input.name,
      erpCode: input.erpCode,
      shippingCompany: input.shippingCompany ?? null,
    };
    this.cargoCompanies.set(company.id, company);
    return company;
  }

  /** Adds a product and maps the marketplace's product id to it; returns the product id. */
  addProduct(input: { remoteId: string; sku?: string; name?: string }): number {
    const id = this.#id();
    this.products.set(id, { id, sku: input.sku ?? input.remoteId, name: input.name ?? input.remoteId });
    this.#upsertAction('product', id, {
      remoteId: input.remoteId,
      versionDate: this.now(),
      localBatchId: null,
    });
    return id;
  }

  // Channel

  /** The channel with its parsed order settings. */
  getChannel(): Channel {
    const conf = ChannelConf.safeParse(this.channel.conf);
    if (!conf.success)
      throw InvalidPayloadError.fromZod('omnitron', `channel ${this.channelId} conf`, conf.error);
    return { id: this.channelId, name: this.channel.name, isActive: this.channel.isActive, conf: conf.data };
  }

  // Batch requests

  /** Creates a batch request in `initialized`. */
  createBatchRequest(): BatchRequest {
    const now = this.now();
    const batch: BatchRequest = {
      id: this.#id(),
      localBatchId: randomUUID(),
      remoteBatchId: null,
      contentType: null,
      status: 'initialized',
      objects: null,
      createdDate: now,
      modifiedDate: now,
    };
    this.batchRequests.set(batch.id, batch);
    return batch;
  }

  /** Applies a status change, as Omnitron does, refusing illegal ones with `batch_request_status_100_1`. */
  transitionBatchRequest(id: number, transition: BatchRequestTransition): BatchRequest {
    const batch = this.batchRequests.get(id);
    if (!batch) throw new OmnitronNotFoundError(`Batch request ${id} not found`);
    const reject = (reason: string) =>
      new BatchTransitionError(id, batch.status, transition.status, reason, {
        omnitronCode: BATCH_TRANSITION_REJECTED_CODE,
      });
    if (!canTransition(batch.status, transition.status))
      throw reject('not allowed by the batch request state machine');

    switch (transition.status) {
      case 'commit': {
        if (batch.contentType !== null && batch.contentType !== transition.contentType) {
          throw reject(`it is locked to content type ${batch.contentType}`);
        }
        const holder = [...this.batchRequests.values()].find(
          (other) =>
            other.id !== id && other.status === 'commit' && other.contentType === transition.contentType,
        );
        if (holder)
          throw reject(`batch request ${holder.id} holds the commit lock for ${transition.contentType}`);
        batch.contentType = transition.contentType;
        batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        break;
      }
      case 'sent_to_remote':
        batch.remoteBatchId = transition.remoteBatchId;
        break;
      case 'ongoing':
        break;
      case 'done':
        // A batch gets its content type on commit only (Omnitron's reference sends `content_type` with
        // `commit` alone), so objects closed into a batch never committed would belong to no content type.
        if (batch.contentType === null && transition.objects.length > 0)
          throw reject('its objects were never committed, so it has no content type');
        batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        this.#linkObjects(batch);
        break;
      case 'fail':
        if (transition.objects) batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        break;
    }
    batch.status = transition.status;
    batch.modifiedDate = this.now();
    return batch;
  }

  /**
   * On `done`, each successful object becomes (or updates) the integration action linking it to its
   * marketplace id, with the version that was sent. Failed objects keep their old version, so they come
   * back in the update feeds.
   */
  #linkObjects(batch: BatchRequest): void {
    for (const object of batch.objects ?? []) {
      if (object.failedReasonType !== null) continue;
      this.#upsertAction(object.contentType, object.id, {
        remoteId: object.remoteId,
        versionDate: object.versionDate,
        localBatchId: batch.localBatchId,
      });
    }
  }

  #upsertAction(
    contentType: string,
    objectId: number,
    values: { remoteId: string | null; versionDate: string | null; localBatchId: string | null },
  ): void {
    const existing = this.#actionByObject.get(`${contentType}:${objectId}`);
    if (existing) {
      if (values.remoteId !== null && values.remoteId !== existing.remoteId) {
        this.#unindexRemote(existing);
        existing.remoteId = values.remoteId;
        this.#indexRemote(existing);
      }
      existing.versionDate = values.versionDate ?? existing.versionDate;
      existing.localBatchId = values.localBatchId;
      return;
    }
    const action: IntegrationAction = { id: this.#id(), contentType, objectId, ...values };
    this.integrationActions.set(action.id, action);
    this.#actionByObject.set(`${contentType}:${objectId}`, action);
    this.#indexRemote(action);
  }

  #indexRemote(action: IntegrationAction): void {
    if (action.remoteId === null) return;
    const key = `${action.contentType}:${action.remoteId}`;
    const set = this.#actionsByRemote.get(key) ?? new Set();
    set.add(action);
    this.#actionsByRemote.set(key, set);
  }

  #unindexRemote(action: IntegrationAction): void {
    if (action.remoteId !== null)
      this.#actionsByRemote.get(`${action.contentType}:${action.remoteId}`)?.delete(action);
  }

  /** Batch requests of one content type in any of the given statuses, oldest first. */
  listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): BatchRequest[] {
    return [...this.batchRequests.values()].filter(
      (b) =>
        filter.statuses.includes(b.status) &&
        (filter.contentType === undefined || b.contentType === filter.contentType),
    );
  }

  /** Ids of objects of a content type held by batches still in progress. */
  #objectsInOpenBatches(contentType: ContentTypeName): Set<number> {
    const ids = new Set<number>();
    for (const batch of this.batchRequests.values()) {
      if (!OPEN_BATCH.includes(batch.status)) continue;
      for (const object of batch.objects ?? []) if (object.contentType === contentType) ids.add(object.id);
    }
    return ids;
  }

  // Integration actions

  /** Integration actions matching a filter. */
  listIntegrationActions(filter: IntegrationActionFilter): IntegrationAction[] {
    if ('remoteIds' in filter) {
      return [...new Set(filter.remoteIds)].flatMap((id) => [
        ...(this.#actionsByRemote.get(`${filter.contentType}:${id}`) ?? []),
      ]);
    }
    return [...new Set(filter.objectIds)].flatMap(
      (id) => this.#actionByObject.get(`${filter.contentType}:${id}`) ?? [],
    );
  }

  #actionFor(contentType: string, objectId: number): IntegrationAction | undefined {
    return this.#actionByObject.get(`${contentType}:${objectId}`);
  }

  // Customers and addresses

  /** Finds the customer by the identifier field and applies the marketplace's changes, or creates it. */
  getOrCreateCustomer(input: ChannelCustomer, field: CustomerIdentifierField): Customer {
    const value = customerIdentifier(input, field);
    const [existing] = this.findCustomers(field === 'email' ? { email: value } : { phoneNumber: value });
    return existing
      ? this.updateCustomer(existing.id, customerChanges(existing, input))
      : this.createCustomer(input);
  }

  /** Customers whose email or phone number equals the given one, ignoring case. */
  findCustomers(filter: { email?: string; phoneNumber?: string }): Customer[] {
    const keys = [
      ...(filter.email === undefined ? [] : [`email:${filter.email.toLowerCase()}`]),
      ...(filter.phoneNumber === undefined ? [] : [`phone:${filter.phoneNumber.toLowerCase()}`]),
    ];
    if (keys.length === 0) return [...this.customers.values()];
    const [first, ...rest] = keys.map((key) => this.#customersByKey.get(key) ?? new Set<number>());
    return [...(first ?? [])]
      .filter((id) => rest.every((set) => set.has(id)))
      .flatMap((id) => this.customers.get(id) ?? []);
  }

  #indexCustomer(customer: Customer, add: boolean): void {
    const keys = [
      ...(customer.email ? [`email:${customer.email.toLowerCase()}`] : []),
      ...(customer.phoneNumber ? [`phone:${customer.phoneNumber.toLowerCase()}`] : []),
    ];
    for (const key of keys) {
      const set = this.#customersByKey.get(key) ?? new Set<number>();
      if (add) set.add(customer.id);
      else set.delete(customer.id);
      this.#customersByKey.set(key, set);
    }
  }

  /** Changes a customer. */
  updateCustomer(id: number, changes: CustomerChanges): Customer {
    const customer = this.customers.get(id);
    if (!customer) throw new OmnitronNotFoundError(`Customer ${id} not found`);
    this.#indexCustomer(customer, false);
    Object.assign(customer, changes);
    this.#indexCustomer(customer, true);
    return customer;
  }

  /** Creates a customer. */
  createCustomer(input: ChannelCustomer): Customer {
    const customer: Customer = {
      id: this.#id(),
      email: input.email ?? null,
      phoneNumber: input.phoneNumber ?? null,
      firstName: input.firstName,
      lastName: input.lastName,
      channelCode: input.channelCode ?? null,
      isActive: true,
    };
    this.customers.set(customer.id, customer);
    this.#indexCustomer(customer, true);
    return customer;
  }

  /** Resolves an address's geography by name, code or mapping; throws `UnknownLocationError`. */
  resolveLocation(address: ChannelAddress): ResolvedLocation {
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
          (l) =>
            township !== null ? l.parent === township : this.locations.get(l.parent ?? -1)?.parent === city,
          { countryId: country, cityId: city, ...(township !== null ? { townshipId: township } : {}) },
        )
      : null;
    return { country, city, township, district };
  }

  #resolve(
    /** The level. */
    kind: LocationKind,
    value: string,
    inParent: (l: LocationRecord) => boolean,
    context: { countryId?: number; cityId?: number; townshipId?: number },
  ): number {
    const wanted = normalizeName(value);
    for (const location of this.locations.values()) {
      if (location.kind !== kind || !location.isActive || !inParent(location)) continue;
      if (
        normalizeName(location.name) === wanted ||
        (location.code !== null && normalizeName(location.code) === wanted)
      )
        return location.id;
    }
    const remoteCode = `${this.channelId}_${value}`;
    const mapped = this.locationMappings.get(`${kind}:${remoteCode}`);
    if (mapped !== undefined) return mapped;
    throw new UnknownLocationError(kind, value, remoteCode, context);
  }

  /** Locations of one level matching Omnitron's list filters. */
  listLocations(kind: LocationKind, filter: LocationFilter): LocationRecord[] {
    const mapped =
      filter.mappingCode === undefined
        ? undefined
        : this.locationMappings.get(`${kind}:${filter.mappingCode}`);
    if (filter.mappingCode !== undefined && mapped === undefined) return [];
    return [...this.locations.values()].filter((l) => {
      if (l.kind !== kind || (mapped !== undefined && l.id !== mapped)) return false;
      if (filter.isActive !== undefined && l.isActive !== filter.isActive) return false;
      if (filter.codeExact !== undefined && l.code !== filter.codeExact) return false;
      if (filter.nameExact !== undefined && l.name !== filter.nameExact) return false;
      if (filter.nameIexact !== undefined && normalizeName(l.name) !== normalizeName(filter.nameIexact))
        return false;
      const above = this.#ancestors(l);
      return (
        (filter.country === undefined || above.country === filter.country) &&
        (filter.city === undefined || above.city === filter.city) &&
        (filter.township === undefined || above.township === filter.township)
      );
    });
  }

  /** The country, city and township a location lies in. */
  #ancestors(location: LocationRecord): { country?: number; city?: number; township?: number } {
    const out: { country?: number; city?: number; township?: number } = {};
    let parent = location.parent === null ? undefined : this.locations.get(location.parent);
    while (parent) {
      if (parent.kind !== 'district') out[parent.kind] = parent.id;
      parent = parent.parent === null ? undefined : this.locations.get(parent.parent);
    }
    return out;
  }

  /** The parent ids of a location, as Omnitron's JSON names them. */
  parentsOf(location: LocationRecord): Record<string, number> {
    return this.#ancestors(location);
  }

  /**
   * Creates an address with resolved ids. Like Omnitron, it keeps one copy per content hash and refuses a
   * second one, naming the existing one's hash.
   */
  createAddress(input: AddressCreate): Address {
    for (const [kind, id] of Object.entries(input.location) as [string, number | null][]) {
      if (id !== null && !this.locations.has(id))
        throw new OmnitronValidationError(`Unknown ${kind} ${id}`, {
          fieldErrors: { [kind]: ['Invalid pk'] },
        });
    }
    if (!this.customers.has(input.customer))
      throw new OmnitronValidationError(`Unknown customer ${input.customer}`, {
        fieldErrors: { customer: ['Invalid pk'] },
      });
    const hashData = addressHash(input.customer, input.address);
    if (this.findAddressesByHash(hashData).length > 0) {
      throw new OmnitronValidationError('Address exists', {
        fieldErrors: { non_field_errors: [`hash_data:${hashData} address already exists`] },
      });
    }
    const address: Address = {
      id: this.#id(),
      customer: input.customer,
      ...input.location,
      line: input.address.line,
      hashData,
    };
    this.addresses.set(address.id, address);
    this.#addressByHash.set(hashData, address.id);
    return address;
  }

  /** Addresses with this content hash. */
  findAddressesByHash(hash: string): Address[] {
    const id = this.#addressByHash.get(hash);
    const address = id === undefined ? undefined : this.addresses.get(id);
    return address ? [address] : [];
  }

  /** The customer's address with the same content, or a new one. */
  getOrCreateAddress(customer: Customer, input: ChannelAddress): Address {
    if (!this.customers.has(customer.id))
      throw new OmnitronNotFoundError(`Customer ${customer.id} not found`);
    const location = this.resolveLocation(input);
    if (input.retailStore !== undefined && !this.retailStores.has(input.retailStore)) {
      throw new MappingNotFoundError('retailstore', { remoteId: input.retailStore });
    }
    const hashData = addressHash(customer.id, input);
    const [existing] = this.findAddressesByHash(hashData);
    if (existing) return existing;
    const address: Address = {
      id: this.#id(),
      customer: customer.id,
      ...location,
      line: input.line,
      hashData,
    };
    this.addresses.set(address.id, address);
    this.#addressByHash.set(hashData, address.id);
    return address;
  }

  // Cargo and products

  /** The cargo company with this ERP code. */
  getCargoCompanyByCode(code: string): CargoCompany {
    const company = [...this.cargoCompanies.values()].find((c) => c.erpCode === code);
    if (!company) throw new CargoCompanyNotFoundError(code);
    return company;
  }

  /** Every cargo company. */
  listCargoCompanies(): CargoCompany[] {
    return [...this.cargoCompanies.values()];
  }

  /** Product ids per mapped marketplace product id. */
  getProductIds(remoteIds: readonly string[]): Map<string, number> {
    const wanted = new Set(remoteIds);
    const out = new Map<string, number>();
    for (const action of this.integrationActions.values()) {
      if (action.contentType === 'product' && action.remoteId !== null && wanted.has(action.remoteId))
        out.set(action.remoteId, action.objectId);
    }
    return out;
  }

  // Orders

  /** The order with this number, or `null`. */
  findOrderByNumber(number: string): Order | null {
    const id = this.#orderByNumber.get(number);
    return (id === undefined ? undefined : this.orders.get(id)) ?? null;
  }

  /** Creates an order and its items, enforcing a unique number and known references. */
  createOrder(input: OrderCreate): Order {
    if (this.findOrderByNumber(input.number)) throw new DuplicateOrderError(input.number);
    const problems: string[] = [];
    if (!this.customers.has(input.customer)) problems.push(`customer ${input.customer} does not exist`);
    if (!this.addresses.has(input.shippingAddress))
      problems.push(`shipping address ${input.shippingAddress} does not exist`);
    if (!this.addresses.has(input.billingAddress))
      problems.push(`billing address ${input.billingAddress} does not exist`);
    if (!this.cargoCompanies.has(input.cargoCompany))
      problems.push(`cargo company ${input.cargoCompany} does not exist`);
    for (const item of input.items)
      if (!this.products.has(item.product)) problems.push(`product ${item.product} does not exist`);
    if (input.items.length === 0) problems.push('an order needs items');
    if (problems.length > 0)
      throw new OmnitronValidationError(`Omnitron refused the order: ${problems.join('; ')}`, {
        fieldErrors: { non_field_errors: problems },
      });

    const now = this.now();
    const order: Order = {
      id: this.#id(),
      number: input.number,
      status: input.status,
      customer: input.customer,
      amount: input.amount,
      currency: input.currency,
      cargoCompany: input.cargoCompany,
      extraField: structuredClone(input.extraField),
      modifiedDate: now,
    };
    this.orders.set(order.id, order);
    this.#orderByNumber.set(order.number, order.id);
    const itemIds: number[] = [];
    this.#itemsByOrder.set(order.id, itemIds);
    for (const item of input.items) {
      const stored: OrderItem = {
        id: this.#id(),
        order: order.id,
        product: item.product,
        status: item.status,
        price: item.price,
        invoiceNumber: null,
        invoiceDate: null,
        trackingNumber: item.trackingNumber ?? null,
        extraField: structuredClone(item.extraField),
        modifiedDate: now,
      };
      this.orderItems.set(stored.id, stored);
      itemIds.push(stored.id);
    }
    return order;
  }

  /** Changes an order on Omnitron's side (a merchant ships it, say), so it joins the update feed. */
  touchOrder(id: number, changes: Partial<Pick<Order, 'status' | 'extraField'>> = {}): Order {
    const order = this.#order(id);
    Object.assign(order, changes, { modifiedDate: this.now() });
    return order;
  }

  #order(id: number): Order {
    const order = this.orders.get(id);
    if (!order) throw new OmnitronNotFoundError(`Order ${id} not found`);
    return order;
  }

  /** Orders by id. */
  getOrders(ids: readonly number[]): Order[] {
    return ids.flatMap((id) => this.orders.get(id) ?? []);
  }

  /**
   * Linked orders changed since the version last sent to the marketplace, and not held by an open batch
   * request: Omnitron's `orders/updates/` feed.
   */
  listOrdersAwaitingUpdate(): Order[] {
    const busy = this.#objectsInOpenBatches('order');
    return [...this.orders.values()].filter((order) => {
      const action = this.#actionFor('order', order.id);
      return (
        action !== undefined &&
        !busy.has(order.id) &&
        (action.versionDate === null || order.modifiedDate > action.versionDate)
      );
    });
  }

  /** The items of an order. */
  listOrderItems(orderId: number): OrderItem[] {
    this.#order(orderId);
    return (this.#itemsByOrder.get(orderId) ?? []).flatMap((id) => this.orderItems.get(id) ?? []);
  }

  /** One order item. */
  getOrderItem(id: number): OrderItem {
    const item = this.orderItems.get(id);
    if (!item) throw new OmnitronNotFoundError(`Order item ${id} not found`);
    return item;
  }

  /** Changes an order item. */
  updateOrderItem(id: number, patch: OrderItemPatch): OrderItem {
    const item = this.getOrderItem(id);
    Object.assign(item, structuredClone(patch), { modifiedDate: this.now() });
    return item;
  }

  /** Cancels items of an order; an item of another order, or one already cancelled, is refused. */
  cancelOrder(orderId: number, request: OrderCancelRequest): void {
    const order = this.#order(orderId);
    const now = this.now();
    for (const id of request.cancelItems) {
      const item = this.orderItems.get(id);
      if (!item || item.order !== orderId)
        throw new OmnitronValidationError(`Order item ${id} is not an item of order ${orderId}`);
      if (item.status === OrderStatus.cancelled)
        throw new OmnitronValidationError(`Order item ${id} is already cancelled`);
    }
    for (const id of request.cancelItems)
      Object.assign(this.getOrderItem(id), { status: OrderStatus.cancelled, modifiedDate: now });
    if (this.listOrderItems(orderId).every((item) => item.status === OrderStatus.cancelled)) {
      Object.assign(order, { status: OrderStatus.cancelled, modifiedDate: now });
    }
    this.cancellations.push({ orderId, request: structuredClone(request), at: now });
  }

  // Cancellation requests

  /** Creates a cancellation request; the marketplace id must be new and the order item known. */
  createCancellationRequest(input: CancellationRequestCreate): CancellationRequest {
    if (!this.orderItems.has(input.orderItem))
      throw new OmnitronValidationError(`Order item ${input.orderItem} not found`);
    if (this.findCancellationRequestByRemoteId(input.remoteId)) {
      throw new OmnitronValidationError(`A cancellation request with remote id ${input.remoteId} exists`);
    }
    const request: CancellationRequest = {
      id: this.#id(),
      ...input,
      status: 'waiting',
      modifiedDate: this.now(),
    };
    this.cancellationRequests.set(request.id, request);
    if (request.remoteId !== null) this.#requestByRemoteId.set(request.remoteId, request.id);
    return request;
  }

  /** The cancellation request with this marketplace id, or `null`. */
  findCancellationRequestByRemoteId(remoteId: string): CancellationRequest | null {
    const id = this.#requestByRemoteId.get(remoteId);
    return (id === undefined ? undefined : this.cancellationRequests.get(id)) ?? null;
  }

  /** Cancellation requests, optionally only the one with a marketplace id. */
  listCancellationRequests(filter: { remoteId?: string } = {}): CancellationRequest[] {
    return [...this.cancellationRequests.values()].filter(
      (r) => filter.remoteId === undefined || r.remoteId === filter.remoteId,
    );
  }

  /** Changes a request's status on Omnitron's side (a merchant approves it), so it joins the update feed. */
  setCancellationRequestStatus(id: number, status: string): CancellationRequest {
    const request = this.cancellationRequests.get(id);
    if (!request) throw new OmnitronNotFoundError(`Cancellation request ${id} not found`);
    Object.assign(request, { status, modifiedDate: this.now() });
    return request;
  }

  /** Linked cancellation requests changed since last sent, not held by an open batch. */
  listCancellationRequestUpdates(): CancellationRequest[] {
    const busy = this.#objectsInOpenBatches('cancellationrequest');
    return [...this.cancellationRequests.values()].filter((request) => {
      const action = this.#actionFor('cancellationrequest', request.id);
      return (
        action !== undefined &&
        !busy.has(request.id) &&
        (action.versionDate === null || request.modifiedDate > action.versionDate)
      );
    });
  }

  // Error reports

  /** Stores a Sales Channel Logs row. */
  createErrorReport(report: ErrorReport): void {
    this.errorReports.push({ ...structuredClone(report), id: this.#id() });
  }

  /** Stores an address-mapping report. */
  createAddressErrorReport(report: AddressErrorReport): void {
    this.addressErrorReports.push(structuredClone(report));
  }
}

/** Adds objects to a batch's list; a later entry for the same object replaces the earlier one. */
function mergeObjects(
  current: readonly BatchRequestObject[],
  added: readonly BatchRequestObject[],
): BatchRequestObject[] {
  const byKey = new Map<string, BatchRequestObject>();
  for (const object of [...current, ...added])
    byKey.set(`${object.contentType}:${object.id}`, structuredClone(object));
  return [...byKey.values()];
}

/**
 * Compares place names the way a person would: case, accents and Turkish dotted/dotless i do not count,
 * so `İstanbul`, `istanbul` and `ISTANBUL` match.
 */
export function normalizeName(value: string): string {
  return value.trim().replace(/[ıİI]/g, 'i').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
