import type { Address, ChannelAddress, ResolvedLocation } from '../dto/address.js';
import type { BatchRequest, BatchRequestStatus, BatchRequestTransition } from '../dto/batch-request.js';
import type {
  CancellationRequest,
  CancellationRequestCreate,
  OrderCancelRequest,
} from '../dto/cancellation.js';
import type { CargoCompany } from '../dto/cargo-company.js';
import type { Channel } from '../dto/channel.js';
import type { ContentTypeName } from '../dto/common.js';
import type { ChannelCustomer, Customer, CustomerChanges, CustomerIdentifierField } from '../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../dto/error-report.js';
import type { IntegrationAction, IntegrationActionFilter } from '../dto/integration-action.js';
import type { Order, OrderCreate, OrderItem } from '../dto/order.js';
import type { OrderItemPatch } from '../dto/order-item-update.js';
import type { LocationKind } from '../errors/lookup-errors.js';
import type { AddressCreate } from '../omnitron/wire/address.js';
import { parseChannel, type StoreCatalog, type StoreChannel } from './store/channel.js';
import type { LocationFilter } from './store/geography.js';
import type {
  CancellationRecord,
  LocationRecord,
  ProductRecord,
  StoredErrorReport,
} from './store/records.js';
import { StoreResources } from './store/resources.js';
import { StoreState } from './store/state.js';

export { CONTENT_TYPE_IDS, type StoreCatalog, type StoreChannel } from './store/channel.js';
export { type LocationFilter, normalizeName } from './store/geography.js';
export type {
  CancellationRecord,
  LocationRecord,
  ProductRecord,
  StoredErrorReport,
} from './store/records.js';

/** Options of {@link OmnitronStore}. */
export interface OmnitronStoreOptions {
  /** Omnitron id of the channel (default 1). */
  channelId?: number;
  /** Where time comes from (default the system clock); modified dates always move forward. */
  clock?: () => Date;
  /**
   * Whether a second order with a number the channel already has is refused (default `true`), as Omnitron
   * does. `false` stores it beside the first, so a test can see duplicates a client would have made.
   */
  uniqueOrderNumbers?: boolean;
}

/**
 * The state of one Omnitron channel, kept in memory, with the rules the real Omnitron enforces: legal batch
 * transitions only, one committed batch per content type at a time, unique order numbers per channel,
 * unknown locations, cargo companies and products rejected, and integration actions created from a batch's
 * objects when it reaches `done`. `InMemoryOmnitron` and the mock Omnitron server both serve it.
 *
 * Each resource lives in its own class under `store/`, all sharing one state (ids, clock, records); this
 * class composes them and delegates.
 */
export class OmnitronStore {
  /** Omnitron id of the channel. */
  readonly channelId: number;
  /** The channel: name, whether it is active, and its `conf` JSON (order settings live there). */
  channel: StoreChannel = { name: 'Test channel', isActive: true, conf: {} };
  /** The catalog whose price and stock lists new order items default to. */
  catalog: StoreCatalog = { id: 1, priceList: 1, stockList: 1 };
  /** Countries, cities, townships and districts by id. */
  readonly locations: Map<number, LocationRecord>;
  /** Location id per `<kind>:<channelId>_<value>` mapping code. */
  readonly locationMappings: Map<string, number>;
  /** Retail store ids by ERP code. */
  readonly retailStores: Map<string, number>;
  /** Cargo companies by id. */
  readonly cargoCompanies: Map<number, CargoCompany>;
  /** Products by id. */
  readonly products: Map<number, ProductRecord>;
  /** Customers by id. */
  readonly customers: Map<number, Customer>;
  /** Addresses by id. */
  readonly addresses: Map<number, Address>;
  /** Orders by id. */
  readonly orders: Map<number, Order>;
  /** Order items by id. */
  readonly orderItems: Map<number, OrderItem>;
  /** Integration actions by id. */
  readonly integrationActions: Map<number, IntegrationAction>;
  /** Batch requests by id. */
  readonly batchRequests: Map<number, BatchRequest>;
  /** Cancellation requests by id. */
  readonly cancellationRequests: Map<number, CancellationRequest>;
  /** Sales Channel Logs rows, in the order they were written. */
  readonly errorReports: StoredErrorReport[];
  /** Address-mapping reports, in the order they were written. */
  readonly addressErrorReports: AddressErrorReport[];
  /** Cancels carried out, in order. */
  readonly cancellations: CancellationRecord[];
  // The maps above are for reading: change state through the methods, which keep the resources' indexes
  // (so a store with 100 000 orders answers as fast as one with ten).
  readonly #resources: StoreResources;
  /**
   * Whether a second order with a known number is refused (see {@link OmnitronStoreOptions.uniqueOrderNumbers});
   * changeable, so a mock server given a store can switch it.
   */
  uniqueOrderNumbers: boolean;

  constructor(options: OmnitronStoreOptions = {}) {
    const state = new StoreState(options.channelId ?? 1, options.clock ?? (() => new Date()));
    this.channelId = state.channelId;
    this.locations = state.locations;
    this.locationMappings = state.locationMappings;
    this.retailStores = state.retailStores;
    this.cargoCompanies = state.cargoCompanies;
    this.products = state.products;
    this.customers = state.customers;
    this.addresses = state.addresses;
    this.orders = state.orders;
    this.orderItems = state.orderItems;
    this.integrationActions = state.integrationActions;
    this.batchRequests = state.batchRequests;
    this.cancellationRequests = state.cancellationRequests;
    this.errorReports = state.errorReports;
    this.addressErrorReports = state.addressErrorReports;
    this.cancellations = state.cancellations;
    this.#resources = new StoreResources(state);
    this.uniqueOrderNumbers = options.uniqueOrderNumbers ?? true;
  }

  /** The current time as an ISO string, strictly later than the previous one, so versions always order. */
  now(): string {
    return this.#resources.state.now();
  }

  // Seeding

  /** Adds a country, city, township or district; returns its id. */
  addLocation(
    kind: LocationKind,
    name: string,
    options: { parent?: number; code?: string; isActive?: boolean } = {},
  ): number {
    return this.#resources.geography.addLocation(kind, name, options);
  }

  /** Maps a marketplace location value to an Omnitron location, as a merchant does in the mapping screen. */
  mapLocation(kind: LocationKind, value: string, locationId: number): void {
    this.#resources.geography.mapLocation(kind, value, locationId);
  }

  /** Adds a retail store by ERP code; returns its id. */
  addRetailStore(erpCode: string): number {
    return this.#resources.geography.addRetailStore(erpCode);
  }

  /** Adds a cargo company; returns it. */
  addCargoCompany(input: { name: string; erpCode: string; shippingCompany?: string }): CargoCompany {
    return this.#resources.cargo.add(input);
  }

  /** Adds a product and maps the marketplace's product id to it; returns the product id. */
  addProduct(input: { remoteId: string; sku?: string; name?: string }): number {
    return this.#resources.products.add(input);
  }

  // Channel

  /** The channel with its parsed order settings. */
  getChannel(): Channel {
    return parseChannel(this.channelId, this.channel);
  }

  // Batch requests

  /** Creates a batch request in `initialized`. */
  createBatchRequest(): BatchRequest {
    return this.#resources.batches.create();
  }

  /** Applies a status change, as Omnitron does, refusing illegal ones with `batch_request_status_100_1`. */
  transitionBatchRequest(id: number, transition: BatchRequestTransition): BatchRequest {
    return this.#resources.batches.transition(id, transition);
  }

  /** Batch requests of one content type in any of the given statuses, oldest first. */
  listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): BatchRequest[] {
    return this.#resources.batches.list(filter);
  }

  // Integration actions

  /** Integration actions matching a filter. */
  listIntegrationActions(filter: IntegrationActionFilter): IntegrationAction[] {
    return this.#resources.actions.list(filter);
  }

  // Customers and addresses

  /** Finds the customer by the identifier field and applies the marketplace's changes, or creates it. */
  getOrCreateCustomer(input: ChannelCustomer, field: CustomerIdentifierField): Customer {
    return this.#resources.customers.getOrCreate(input, field);
  }

  /** Customers whose email or phone number equals the given one, ignoring case. */
  findCustomers(filter: { email?: string; phoneNumber?: string }): Customer[] {
    return this.#resources.customers.find(filter);
  }

  /** Changes a customer. */
  updateCustomer(id: number, changes: CustomerChanges): Customer {
    return this.#resources.customers.update(id, changes);
  }

  /** Creates a customer. */
  createCustomer(input: ChannelCustomer): Customer {
    return this.#resources.customers.create(input);
  }

  /** Resolves an address's geography by name, code or mapping; throws `UnknownLocationError`. */
  resolveLocation(address: ChannelAddress): ResolvedLocation {
    return this.#resources.geography.resolveLocation(address);
  }

  /** Locations of one level matching Omnitron's list filters. */
  listLocations(kind: LocationKind, filter: LocationFilter): LocationRecord[] {
    return this.#resources.geography.listLocations(kind, filter);
  }

  /** The parent ids of a location, as Omnitron's JSON names them. */
  parentsOf(location: LocationRecord): Record<string, number> {
    return this.#resources.geography.parentsOf(location);
  }

  /**
   * Creates an address with resolved ids. Like Omnitron, it keeps one copy per content hash and refuses a
   * second one, naming the existing one's hash.
   */
  createAddress(input: AddressCreate): Address {
    return this.#resources.addresses.create(input);
  }

  /** Addresses with this content hash. */
  findAddressesByHash(hash: string): Address[] {
    return this.#resources.addresses.findByHash(hash);
  }

  /** Addresses of one customer. */
  findAddressesOfCustomer(customer: number): Address[] {
    return this.#resources.addresses.ofCustomer(customer);
  }

  /** The customer's address with the same content, or a new one. */
  getOrCreateAddress(customer: Customer, input: ChannelAddress): Address {
    return this.#resources.addresses.getOrCreate(customer, input);
  }

  // Cargo and products

  /** The cargo company with this ERP code. */
  getCargoCompanyByCode(code: string): CargoCompany {
    return this.#resources.cargo.getByCode(code);
  }

  /** Every cargo company. */
  listCargoCompanies(): CargoCompany[] {
    return this.#resources.cargo.list();
  }

  /** Product ids per mapped marketplace product id. */
  getProductIds(remoteIds: readonly string[]): Map<string, number> {
    return this.#resources.products.getIds(remoteIds);
  }

  // Orders

  /** The order with this number, or `null`. */
  findOrderByNumber(number: string): Order | null {
    return this.#resources.orders.findByNumber(number);
  }

  /** Creates an order and its items, enforcing a unique number and known references. */
  createOrder(input: OrderCreate): Order {
    return this.#resources.orders.create(input, this.uniqueOrderNumbers);
  }

  /** Changes an order on Omnitron's side (a merchant ships it, say), so it joins the update feed. */
  touchOrder(id: number, changes: Partial<Pick<Order, 'status' | 'extraField'>> = {}): Order {
    return this.#resources.orders.touch(id, changes);
  }

  /** Orders by id. */
  getOrders(ids: readonly number[]): Order[] {
    return this.#resources.orders.get(ids);
  }

  /**
   * Linked orders changed since the version last sent to the marketplace, and not held by an open batch
   * request: Omnitron's `orders/updates/` feed.
   */
  listOrdersAwaitingUpdate(): Order[] {
    return this.#resources.orders.listAwaitingUpdate();
  }

  /** The items of an order. */
  listOrderItems(orderId: number): OrderItem[] {
    return this.#resources.orders.listItems(orderId);
  }

  /** One order item. */
  getOrderItem(id: number): OrderItem {
    return this.#resources.orders.getItem(id);
  }

  /** Changes an order item. */
  updateOrderItem(id: number, patch: OrderItemPatch): OrderItem {
    return this.#resources.orders.updateItem(id, patch);
  }

  /** Cancels items of an order; an item of another order, or one already cancelled, is refused. */
  cancelOrder(orderId: number, request: OrderCancelRequest): void {
    this.#resources.orders.cancel(orderId, request);
  }

  // Cancellation requests

  /** Creates a cancellation request; the marketplace id must be new and the order item known. */
  createCancellationRequest(input: CancellationRequestCreate): CancellationRequest {
    return this.#resources.requests.create(input);
  }

  /** The cancellation request with this marketplace id, or `null`. */
  findCancellationRequestByRemoteId(remoteId: string): CancellationRequest | null {
    return this.#resources.requests.findByRemoteId(remoteId);
  }

  /** Cancellation requests, optionally only the one with a marketplace id. */
  listCancellationRequests(filter: { remoteId?: string } = {}): CancellationRequest[] {
    return this.#resources.requests.list(filter);
  }

  /** Changes a request's status on Omnitron's side (a merchant approves it), so it joins the update feed. */
  setCancellationRequestStatus(id: number, status: string): CancellationRequest {
    return this.#resources.requests.setStatus(id, status);
  }

  /** Linked cancellation requests changed since last sent, not held by an open batch. */
  listCancellationRequestUpdates(): CancellationRequest[] {
    return this.#resources.requests.listUpdates();
  }

  // Error reports

  /** Stores a Sales Channel Logs row. */
  createErrorReport(report: ErrorReport): void {
    this.#resources.reports.create(report);
  }

  /** Stores an address-mapping report. */
  createAddressErrorReport(report: AddressErrorReport): void {
    this.#resources.reports.createAddressReport(report);
  }
}
