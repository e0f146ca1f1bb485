import pMap from 'p-map';
import type { Address, ChannelAddress } from '../dto/address.js';
import type { BatchRequest, BatchRequestStatus, BatchRequestTransition } from '../dto/batch-request.js';
import type {
  CancellationRequest,
  CancellationRequestCreate,
  OrderCancelRequest,
} from '../dto/cancellation.js';
import type { CargoCompany } from '../dto/cargo-company.js';
import type { Channel } from '../dto/channel.js';
import type { ContentTypeName } from '../dto/common.js';
import type { ChannelCustomer, Customer, CustomerIdentifierField } from '../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../dto/error-report.js';
import type { IntegrationAction, IntegrationActionFilter } from '../dto/integration-action.js';
import type { Order, OrderCreate, OrderItem } from '../dto/order.js';
import type { OrderItemPatch } from '../dto/order-item-update.js';
import { brandClass, isInstanceAcrossBuilds } from '../foundation/brand.js';

/**
 * Options of a create that the order import may park (customers, addresses, orders).
 *
 * @group Adapters
 */
export interface CreateOptions {
  /**
   * When the create's fate is unknown (its answer was lost) and a look-up does not find it at once, throw
   * `CreateFateUnknownError` instead of waiting in place for Omnitron to finish it: the order import parks
   * the order, goes on with the rest of its chunk, and looks it up again later. An implementation that
   * cannot lose an answer may ignore it.
   */
  deferUnknown?: boolean;
}

/** Per-instance ids for the default {@link OmnitronIntegration.lockNamespace}. */
const instanceIds = new WeakMap<OmnitronIntegration, number>();
let lastInstanceId = 0;

/** Look-ups the defaults of the batch look-ups (orders by number, items by order) run at once. */
const LOOKUPS_AT_ONCE = 8;

/**
 * Everything the order flows need from Omnitron. The SDK ships `OmnitronRestIntegration` (the real HTTP
 * API) and, in `channel-app-sdk/testing`, `InMemoryOmnitron`.
 *
 * Contract for implementers: throw only `ChannelAppError` subclasses (an unknown location is an
 * `UnknownLocationError`, a refused batch transition a `BatchTransitionError`, an outage an
 * `OmnitronError`), and never put secrets in them.
 *
 * @group Adapters
 */
export abstract class OmnitronIntegration {
  static {
    brandClass(OmnitronIntegration, 'OmnitronIntegration');
  }

  /**
   * Makes `instanceof` recognise instances from both builds of the package (ESM and CommonJS), which a
   * program can load side by side: an `OmnitronIntegration` built on the CommonJS copy is accepted by an `OrderService` imported as ESM, and the other way round. A subclass is checked as usual.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, often a subclass.
    return isInstanceAcrossBuilds(this, value);
  }

  /**
   * Names the Omnitron and channel this integration writes to, in the keys of the shared lock that keeps
   * overlapping runs from creating a customer or address twice. Clients of the same Omnitron channel must
   * give the same name (in any process); unrelated channels different ones. The default is unique to this
   * instance; `OmnitronRestIntegration` derives it from the URL and the channel id.
   */
  get lockNamespace(): string {
    let id = instanceIds.get(this);
    if (id === undefined) {
      lastInstanceId += 1;
      id = lastInstanceId;
      instanceIds.set(this, id);
    }
    return `omnitron-instance:${id}`;
  }

  /**
   * Omnitron's current time, to compare with the dates Omnitron stamps (a batch request's
   * `modifiedDate`): the flows judge a batch stale by it, so a clock of this machine minutes off
   * Omnitron's neither closes a live batch nor keeps a stale one. The default is this machine's clock,
   * right for an integration that stamps dates itself (`InMemoryOmnitron`); `OmnitronRestIntegration`
   * reads Omnitron's from its answers.
   */
  omnitronNow(): Date {
    return new Date();
  }

  /** The channel this integration works for, with its order-related `conf`. */
  abstract getChannel(): Promise<Channel>;

  // Batch requests

  /** Creates a batch request in `initialized`. */
  abstract createBatchRequest(contentType: ContentTypeName): Promise<BatchRequest>;

  /** Moves a batch request to a new status; throws `BatchTransitionError` when Omnitron refuses. */
  abstract transitionBatchRequest(id: number, transition: BatchRequestTransition): Promise<BatchRequest>;

  /**
   * Batch requests in any of the given statuses, of one content type when `contentType` is given (a batch
   * gets its content type on commit, so one still `initialized` has none: list those without it).
   */
  abstract listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): AsyncIterable<BatchRequest>;

  // Customers, addresses, cargo, products

  /**
   * Finds the customer by the channel's identifier field (email or phone number), updating the fields the
   * marketplace changed, or creates it.
   */
  abstract getOrCreateCustomer(
    customer: ChannelCustomer,
    identifierField: CustomerIdentifierField,
    options?: CreateOptions,
  ): Promise<Customer>;

  /**
   * Resolves the address's country, city, township and district (by name, code or mapping; an unknown one
   * throws `UnknownLocationError`) and returns the customer's identical address or a new one.
   */
  abstract getOrCreateAddress(
    customer: Customer,
    address: ChannelAddress,
    options?: CreateOptions,
  ): Promise<Address>;

  /** The cargo company whose `erp_code` is `code`; throws `CargoCompanyNotFoundError`. */
  abstract getCargoCompanyByCode(code: string): Promise<CargoCompany>;

  /** Omnitron product ids for marketplace product ids; ids with no mapping are absent from the map. */
  abstract getProductIds(remoteIds: readonly string[]): Promise<Map<string, number>>;

  // Orders and items

  /** The order with this number on this channel, or `null`. */
  abstract findOrderByNumber(number: string): Promise<Order | null>;

  /**
   * The orders with these numbers on this channel, by number; numbers with no order are absent. The import
   * calls it once per chunk of incoming orders, so a re-run skips the orders it already has cheaply.
   *
   * This default asks {@link OmnitronIntegration.findOrderByNumber} for each number (a few at a time), so an
   * integration that does not override it keeps working; override it with one request per chunk.
   */
  async findOrdersByNumbers(numbers: readonly string[]): Promise<Map<string, Order>> {
    const found = await pMap(
      new Set(numbers),
      async (number) => [number, await this.findOrderByNumber(number)] as const,
      {
        concurrency: LOOKUPS_AT_ONCE,
      },
    );
    return new Map(found.flatMap(([number, order]) => (order ? [[number, order] as const] : [])));
  }

  /** Orders by Omnitron id; unknown ids are absent from the result. */
  abstract getOrders(ids: readonly number[]): Promise<Order[]>;

  /** Creates an order with its items; throws `DuplicateOrderError` if the number exists. */
  abstract createOrder(order: OrderCreate, options?: CreateOptions): Promise<Order>;

  /** Orders changed in Omnitron that the marketplace has not been told about, oldest first. */
  abstract listOrdersAwaitingUpdate(options: { limit: number }): AsyncIterable<Order>;

  /** The items of an order, by id. */
  abstract listOrderItems(orderId: number): Promise<OrderItem[]>;

  /**
   * The items of several orders, by order id (an order with no items maps to `[]`). The import links each
   * chunk of orders it created with one call, and `updateOrders` reads the items of the orders it sends.
   *
   * This default asks {@link OmnitronIntegration.listOrderItems} for each order (a few at a time), so an
   * integration that does not override it keeps working; override it with one request per chunk.
   */
  async listOrderItemsOfOrders(orderIds: readonly number[]): Promise<Map<number, OrderItem[]>> {
    const lists = await pMap(new Set(orderIds), async (id) => [id, await this.listOrderItems(id)] as const, {
      concurrency: LOOKUPS_AT_ONCE,
    });
    return new Map(lists);
  }

  /** One order item. */
  abstract getOrderItem(id: number): Promise<OrderItem>;

  /**
   * Order items by id (an id Omnitron has no item for is left out). `fetchAndUpdateOrderItems` reads the
   * units of a chunk of line changes with one call.
   *
   * This default asks {@link OmnitronIntegration.getOrderItem} for each id (a few at a time), so an
   * integration that does not override it keeps working; override it with one request per chunk.
   */
  async getOrderItems(ids: readonly number[]): Promise<Map<number, OrderItem>> {
    const items = await pMap(new Set(ids), (id) => this.getOrderItem(id), { concurrency: LOOKUPS_AT_ONCE });
    return new Map(items.map((item) => [item.id, item]));
  }

  /** Changes an order item's status, invoice, tracking number or extra field. */
  abstract updateOrderItem(id: number, patch: OrderItemPatch): Promise<OrderItem>;

  /** Cancels order items of an order. */
  abstract cancelOrder(orderId: number, request: OrderCancelRequest): Promise<void>;

  // Integration actions

  /** The links between Omnitron objects and marketplace ids, by either side. */
  abstract listIntegrationActions(filter: IntegrationActionFilter): Promise<IntegrationAction[]>;

  // Cancellation requests

  /** Cancellation requests changed in Omnitron that the marketplace has not been told about. */
  abstract listCancellationRequestUpdates(options: { limit: number }): AsyncIterable<CancellationRequest>;

  /** The cancellation request with this marketplace id, or `null`. */
  abstract findCancellationRequestByRemoteId(remoteId: string): Promise<CancellationRequest | null>;

  /**
   * Cancellation requests by marketplace id (an id with none is absent). `fetchAndCreateCancellationRequests`
   * looks a chunk of requests up with one call.
   *
   * This default asks {@link OmnitronIntegration.findCancellationRequestByRemoteId} for each id (a few at a
   * time), so an integration that does not override it keeps working; override it with one request per chunk.
   */
  async findCancellationRequestsByRemoteIds(
    remoteIds: readonly string[],
  ): Promise<Map<string, CancellationRequest>> {
    const found = await pMap(
      new Set(remoteIds),
      async (remoteId) => [remoteId, await this.findCancellationRequestByRemoteId(remoteId)] as const,
      { concurrency: LOOKUPS_AT_ONCE },
    );
    return new Map(found.flatMap(([remoteId, request]) => (request ? [[remoteId, request] as const] : [])));
  }

  /** Creates a cancellation request. */
  abstract createCancellationRequest(request: CancellationRequestCreate): Promise<CancellationRequest>;

  // Error reports

  /** Writes a row of Sales Channel Logs. */
  abstract createErrorReport(report: ErrorReport): Promise<void>;

  /** Tells Omnitron's address mapping screen about a location it could not resolve. */
  abstract createAddressErrorReport(report: AddressErrorReport): Promise<void>;
}
