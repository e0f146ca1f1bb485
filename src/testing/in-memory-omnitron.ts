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
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { OmnitronError } from '../errors/omnitron-errors.js';
import { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { OmnitronStore, type OmnitronStoreOptions } from './omnitron-store.js';
import { seedDefaults } from './seed.js';

/** The operations of the Omnitron port, by name (for fault injection and the call log). */
export type OmnitronOperation = {
  [K in keyof OmnitronIntegration]: OmnitronIntegration[K] extends (...args: never[]) => unknown ? K : never;
}[keyof OmnitronIntegration];

/** Options of {@link InMemoryOmnitron}. */
export interface InMemoryOmnitronOptions extends OmnitronStoreOptions {
  /** State to serve; a new store by default. */
  store?: OmnitronStore;
  /** Fill a new store with the default test data ({@link DEFAULT_SEED}); default `true`. */
  seed?: boolean;
}

interface Fault {
  operation: OmnitronOperation;
  remaining: number;
  error: () => ChannelAppError;
}

/**
 * A complete Omnitron in memory, for tests and the demo. It enforces the real rules (see
 * {@link OmnitronStore}); every call is logged in {@link InMemoryOmnitron.calls}; {@link InMemoryOmnitron.failNext}
 * makes an operation fail the way an Omnitron outage would. Values handed out are copies: changing them
 * changes nothing in Omnitron.
 */
export class InMemoryOmnitron extends OmnitronIntegration {
  /** The state it serves; seed it or assert on it directly. */
  readonly store: OmnitronStore;
  /** Every operation called, in order. */
  readonly calls: OmnitronOperation[] = [];
  readonly #faults: Fault[] = [];

  constructor(options: InMemoryOmnitronOptions = {}) {
    super();
    this.store = options.store ?? new OmnitronStore(options);
    if (!options.store && options.seed !== false) seedDefaults(this.store);
  }

  /**
   * Makes the next `times` calls of `operation` fail with `error` (by default an `OmnitronError` like a 503).
   */
  failNext(
    operation: OmnitronOperation,
    options: { times?: number; error?: () => ChannelAppError } = {},
  ): void {
    this.#faults.push({
      operation,
      remaining: options.times ?? 1,
      error:
        options.error ??
        (() =>
          new OmnitronError(`Omnitron answered 503 Service Unavailable (injected into ${operation})`, {
            http: { method: 'GET', path: operation, status: 503 },
          })),
    });
  }

  /** How many times an operation was called. */
  callCount(operation: OmnitronOperation): number {
    return this.calls.filter((c) => c === operation).length;
  }

  async #call<T>(operation: OmnitronOperation, work: () => T): Promise<T> {
    this.calls.push(operation);
    const fault = this.#faults.find((f) => f.operation === operation && f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      throw fault.error();
    }
    // Like a network hop: callers never share objects with the store.
    return structuredClone(await work());
  }

  override getChannel(): Promise<Channel> {
    return this.#call('getChannel', () => this.store.getChannel());
  }

  override createBatchRequest(_contentType: ContentTypeName): Promise<BatchRequest> {
    return this.#call('createBatchRequest', () => this.store.createBatchRequest());
  }

  override transitionBatchRequest(id: number, transition: BatchRequestTransition): Promise<BatchRequest> {
    return this.#call('transitionBatchRequest', () => this.store.transitionBatchRequest(id, transition));
  }

  override async *listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): AsyncIterable<BatchRequest> {
    yield* await this.#call('listBatchRequests', () => this.store.listBatchRequests(filter));
  }

  override getOrCreateCustomer(
    customer: ChannelCustomer,
    identifierField: CustomerIdentifierField,
  ): Promise<Customer> {
    return this.#call('getOrCreateCustomer', () => this.store.getOrCreateCustomer(customer, identifierField));
  }

  override getOrCreateAddress(customer: Customer, address: ChannelAddress): Promise<Address> {
    return this.#call('getOrCreateAddress', () => this.store.getOrCreateAddress(customer, address));
  }

  override getCargoCompanyByCode(code: string): Promise<CargoCompany> {
    return this.#call('getCargoCompanyByCode', () => this.store.getCargoCompanyByCode(code));
  }

  override getProductIds(remoteIds: readonly string[]): Promise<Map<string, number>> {
    return this.#call('getProductIds', () => this.store.getProductIds(remoteIds));
  }

  override findOrderByNumber(number: string): Promise<Order | null> {
    return this.#call('findOrderByNumber', () => this.store.findOrderByNumber(number));
  }

  /** One call for the whole chunk, as a real Omnitron answers one filtered list request. */
  override findOrdersByNumbers(numbers: readonly string[]): Promise<Map<string, Order>> {
    return this.#call('findOrdersByNumbers', () => {
      const found = new Map<string, Order>();
      for (const number of numbers) {
        const order = this.store.findOrderByNumber(number);
        if (order) found.set(number, order);
      }
      return found;
    });
  }

  override getOrders(ids: readonly number[]): Promise<Order[]> {
    return this.#call('getOrders', () => this.store.getOrders(ids));
  }

  override createOrder(order: OrderCreate): Promise<Order> {
    return this.#call('createOrder', () => this.store.createOrder(order));
  }

  override async *listOrdersAwaitingUpdate(options: { limit: number }): AsyncIterable<Order> {
    yield* await this.#call('listOrdersAwaitingUpdate', () =>
      this.store.listOrdersAwaitingUpdate().slice(0, options.limit),
    );
  }

  override listOrderItems(orderId: number): Promise<OrderItem[]> {
    return this.#call('listOrderItems', () => this.store.listOrderItems(orderId));
  }

  override listOrderItemsOfOrders(orderIds: readonly number[]): Promise<Map<number, OrderItem[]>> {
    return this.#call(
      'listOrderItemsOfOrders',
      () =>
        new Map(orderIds.map((id) => [id, this.store.orders.has(id) ? this.store.listOrderItems(id) : []])),
    );
  }

  override getOrderItem(id: number): Promise<OrderItem> {
    return this.#call('getOrderItem', () => this.store.getOrderItem(id));
  }

  override updateOrderItem(id: number, patch: OrderItemPatch): Promise<OrderItem> {
    return this.#call('updateOrderItem', () => this.store.updateOrderItem(id, patch));
  }

  override cancelOrder(orderId: number, request: OrderCancelRequest): Promise<void> {
    return this.#call('cancelOrder', () => this.store.cancelOrder(orderId, request));
  }

  override listIntegrationActions(filter: IntegrationActionFilter): Promise<IntegrationAction[]> {
    return this.#call('listIntegrationActions', () => this.store.listIntegrationActions(filter));
  }

  override async *listCancellationRequestUpdates(options: {
    limit: number;
  }): AsyncIterable<CancellationRequest> {
    yield* await this.#call('listCancellationRequestUpdates', () =>
      this.store.listCancellationRequestUpdates().slice(0, options.limit),
    );
  }

  override findCancellationRequestByRemoteId(remoteId: string): Promise<CancellationRequest | null> {
    return this.#call('findCancellationRequestByRemoteId', () =>
      this.store.findCancellationRequestByRemoteId(remoteId),
    );
  }

  override createCancellationRequest(request: CancellationRequestCreate): Promise<CancellationRequest> {
    return this.#call('createCancellationRequest', () => this.store.createCancellationRequest(request));
  }

  override createErrorReport(report: ErrorReport): Promise<void> {
    return this.#call('createErrorReport', () => this.store.createErrorReport(report));
  }

  override createAddressErrorReport(report: AddressErrorReport): Promise<void> {
    return this.#call('createAddressErrorReport', () => this.store.createAddressErrorReport(report));
  }
}
