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
import type { ChannelCustomer, Customer, CustomerIdentifierField } from '../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../dto/error-report.js';
import type { IntegrationAction, IntegrationActionFilter } from '../dto/integration-action.js';
import type { Order, OrderCreate, OrderItem } from '../dto/order.js';
import type { OrderItemPatch } from '../dto/order-item-update.js';
import { SecretRedactor } from '../foundation/redact.js';
import { type CreateOptions, OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { OmnitronHttpClient } from './http-client.js';
import { createAddress, retailStoreId } from './resources/addresses.js';
import * as batchRequests from './resources/batch-requests.js';
import * as cancellationRequests from './resources/cancellation-requests.js';
import { CargoCompanies } from './resources/cargo.js';
import { getChannel } from './resources/channel.js';
import type { RestContext } from './resources/context.js';
import { getOrCreateCustomer, matchByIdentifier } from './resources/customers.js';
import { ErrorReports } from './resources/error-reports.js';
import { Geography } from './resources/geography.js';
import * as integrationActions from './resources/integration-actions.js';
import * as orderItems from './resources/order-items.js';
import { Orders } from './resources/orders.js';
import { type OmnitronRestIntegrationOptions, resolveRestOptions } from './rest-options.js';
import { ServerClock } from './server-clock.js';
import { UndocumentedFilters } from './undocumented-filters.js';
import { type AddressCreate, addressCreateToJson } from './wire/address.js';

/**
 * The real Omnitron, over its REST API (`/api/v1/`). Construct it with credentials and the channel id;
 * it logs in on first use and keeps the token in its token store.
 *
 * Each resource (batch requests, customers, addresses and geography, cargo, integration actions, orders and
 * their items, cancellation requests, error reports) is its own module; this class composes them, and calls
 * go one way: this class calls the resources; a resource calls other resources and the HTTP client, and
 * reaches this class only through the extension points handed to it at construction.
 * Subclass it to change one behaviour. The extension points are its protected methods:
 * {@link matchCustomer} (which existing customer an incoming one is), {@link resolveLocation} (how an
 * address's country, city, township and district become Omnitron ids), {@link addressCreateBody} (the
 * body that creates an address) and {@link channelPath} (the path of a request under the channel). An
 * override of one applies wherever the adapter uses it, re-checks of creates included. The port methods
 * are not extension points: overriding `findOrderByNumber`, say, changes what its callers get, not the
 * look-ups the adapter makes inside its other methods (the re-check of `createOrder`, the fallback of
 * `findOrdersByNumbers`), which ask the resource itself.
 *
 * @example
 * ```ts
 * const omnitron = new OmnitronRestIntegration({
 *   baseUrl: process.env.OMNITRON_URL, username: process.env.OMNITRON_USERNAME,
 *   password: process.env.OMNITRON_PASSWORD, channelId: process.env.OMNITRON_CHANNEL_ID,
 *   catalogId: process.env.OMNITRON_CATALOG_ID, logger,
 * });
 * ```
 *
 * @group Adapters
 */
export class OmnitronRestIntegration extends OmnitronIntegration {
  /**
   * The HTTP transport: auth, retries, pagination, typed errors. Not an extension point: its client is
   * the SDK's own and may change in any release.
   *
   * @internal
   */
  protected readonly http: OmnitronHttpClient;
  /** Omnitron id of the channel. */
  readonly channelId: number;
  readonly #lockNamespace: string;
  /** Omnitron's time, from the `Date` header of its answers. */
  readonly #clock = new ServerClock();
  /** What every resource gets: the HTTP client, the channel, and how creates are retried. */
  readonly #rest: RestContext;
  readonly #geography: Geography;
  readonly #cargo: CargoCompanies;
  readonly #orders: Orders;
  readonly #errorReports: ErrorReports;
  readonly #itemsByOrder: orderItems.OrderItemsByOrder;
  readonly #itemsById: orderItems.OrderItemsById;
  readonly #requestsByRemoteId: cancellationRequests.CancellationRequestsByRemoteId;

  constructor(options: OmnitronRestIntegrationOptions) {
    super();
    const o = resolveRestOptions(options);
    this.channelId = o.channelId;
    this.#lockNamespace = lockNamespaceOf(o.baseUrl, o.channelId);
    const { logger, settleTime, parkTime } = o;
    this.http = new OmnitronHttpClient({
      baseUrl: o.baseUrl,
      username: o.username,
      password: o.password,
      timeout: o.timeout,
      deadline: o.deadline,
      maxResponseBytes: o.maxResponseBytes,
      maxRetryAfter: o.maxRetryAfter,
      maxPages: o.maxPages,
      clock: this.#clock,
      retry: o.retry,
      tokenStore: o.tokenStore,
      logger,
      redactor: new SecretRedactor([o.password]),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    this.#rest = {
      http: this.http,
      channelId: o.channelId,
      pageSize: o.pageSize,
      // The extension points a resource applies within its own steps, bound here once so that a subclass's
      // overrides apply: the only calls from a resource back into this class.
      hooks: {
        channelPath: (path) => this.channelPath(path),
        matchCustomer: (found, incoming, field) => this.matchCustomer(found, incoming, field),
      },
      filters: new UndocumentedFilters(logger),
      creates: (what, create = {}) => ({
        retry: o.retry,
        settleTime,
        parkTime,
        what,
        defer: create.deferUnknown === true,
      }),
    };
    this.#geography = new Geography(this.#rest, o.cacheTtl);
    this.#cargo = new CargoCompanies(this.#rest, o.cacheTtl);
    this.#orders = new Orders(this.#rest, o.catalogId);
    this.#errorReports = new ErrorReports(this.#rest);
    this.#itemsByOrder = new orderItems.OrderItemsByOrder(this.#rest);
    this.#itemsById = new orderItems.OrderItemsById(this.#rest);
    this.#requestsByRemoteId = new cancellationRequests.CancellationRequestsByRemoteId(this.#rest);
  }

  /**
   * Names this Omnitron and channel in lock keys (`omnitron:<origin><path>:channel:<id>`, no credentials):
   * every client of the same Omnitron channel, in any process, gets the same name.
   */
  override get lockNamespace(): string {
    return this.#lockNamespace;
  }

  /**
   * Omnitron's current time: this machine's, corrected by the offset the `Date` header of Omnitron's
   * latest answer showed (none before a first answer). Compared with the dates Omnitron stamps, it is
   * right even when the two machines' clocks are minutes apart.
   */
  override omnitronNow(): Date {
    return this.#clock.now();
  }

  /**
   * Extension point: the path of a request under this channel, `channel/<id>/<path>` by default. Every
   * request the adapter sends under the channel (lists, look-ups, creates, updates, and the re-checks of
   * creates) takes its path from here. Override it to reach a proxy or gateway that routes the channel's
   * API under another path; `super.channelPath(path)` gives the default.
   *
   * @param path - The path below the channel, such as `orders/` or `order_items/12/`.
   * @returns The path under the API root.
   */
  protected channelPath(path: string): string {
    return `channel/${this.channelId}/${path}`;
  }

  override getChannel(): Promise<Channel> {
    return getChannel(this.#rest);
  }

  // Batch requests

  override createBatchRequest(_contentType: ContentTypeName): Promise<BatchRequest> {
    return batchRequests.createBatchRequest(this.#rest);
  }

  override transitionBatchRequest(id: number, transition: BatchRequestTransition): Promise<BatchRequest> {
    return batchRequests.transitionBatchRequest(this.#rest, id, transition);
  }

  override listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): AsyncIterable<BatchRequest> {
    return batchRequests.listBatchRequests(this.#rest, filter);
  }

  // Customers and addresses

  override getOrCreateCustomer(
    customer: ChannelCustomer,
    identifierField: CustomerIdentifierField,
    options: CreateOptions = {},
  ): Promise<Customer> {
    return getOrCreateCustomer(this.#rest, customer, identifierField, options);
  }

  /**
   * Extension point: chooses which existing customer an incoming one is, among the customers Omnitron
   * answered to `customers/?<identifierField>=<value>&channel=<id>`, or `null` to create a new one. The
   * default takes the first whose email (or phone number, by `identifierField`) equals the incoming one's,
   * ignoring case; a server that ignored the filter answers with other customers too, so the answers are
   * always checked. The chosen customer gets the marketplace's changes (names, email, phone number).
   *
   * The same match finds a customer whose create had an unknown fate before it is sent again, so it must
   * find a customer created from `incoming`: one that never matches creates a customer per order.
   *
   * @param found - The customers the look-up answered (possibly none, possibly others).
   * @param incoming - The customer as the marketplace sent it.
   * @param identifierField - The channel's `CUSTOMER_IDENTIFIER_FIELD`: `email` or `phone_number`.
   * @returns The matching customer, or `null` to create one.
   */
  protected matchCustomer(
    found: readonly Customer[],
    incoming: ChannelCustomer,
    identifierField: CustomerIdentifierField,
  ): Customer | null {
    return matchByIdentifier(found, incoming, identifierField);
  }

  override async getOrCreateAddress(
    customer: Customer,
    address: ChannelAddress,
    options: CreateOptions = {},
  ): Promise<Address> {
    const location = await this.resolveLocation(address);
    const retailStore =
      address.retailStore === undefined ? undefined : await retailStoreId(this.#rest, address.retailStore);
    const sent: AddressCreate = {
      customer: customer.id,
      location,
      address,
      ...(retailStore !== undefined ? { retailStore } : {}),
    };
    return createAddress(this.#rest, sent, this.addressCreateBody(sent, customer), options);
  }

  /**
   * Extension point (address mapping): resolves an address's country, city, township and district to
   * Omnitron ids. The default looks each up by code (the country) or name (case-insensitive), then by the
   * mapping a merchant made (`<channelId>_<value>`), each within the level above it, and remembers the
   * answers for `cacheTtl`. An unknown one is an `UnknownLocationError`. Override it to translate a
   * marketplace's own codes first (and call `super.resolveLocation`), or to resolve another way.
   *
   * @param address - The address as the marketplace sent it.
   * @returns The Omnitron ids of its geography (`null` for a township or district it has none of).
   */
  protected resolveLocation(address: ChannelAddress): Promise<ResolvedLocation> {
    return this.#geography.resolve(address);
  }

  /**
   * Extension point (address mapping): the JSON body of `POST channel/<id>/addresses/`, from the address
   * as the marketplace sent it and its resolved geography. The default maps every field Omnitron knows
   * (names fall back to the customer's). Override it to change a field, such as putting the postcode in
   * the line; start from `super.addressCreateBody(input, customer)`. What the answer leaves out is still
   * filled from `input`.
   *
   * @param input - The address, its owner's id, its resolved geography and any retail store.
   * @param customer - The customer it belongs to.
   * @returns The body to send.
   */
  protected addressCreateBody(input: AddressCreate, customer: Customer): Record<string, unknown> {
    return addressCreateToJson(input, customer);
  }

  // Cargo and products

  override getCargoCompanyByCode(code: string): Promise<CargoCompany> {
    return this.#cargo.byCode(code);
  }

  override getProductIds(remoteIds: readonly string[]): Promise<Map<string, number>> {
    return integrationActions.getProductIds(this.#rest, remoteIds);
  }

  // Orders

  override findOrderByNumber(number: string): Promise<Order | null> {
    return this.#orders.findByNumber(number);
  }

  /**
   * One `orders/?number__in=…` request per 50 numbers, each answer checked; falls back to one look-up per
   * number (the documented `?number=`) for good once Omnitron ignores the filter or fails on it in any way.
   */
  override findOrdersByNumbers(numbers: readonly string[]): Promise<Map<string, Order>> {
    return this.#orders.findByNumbers(numbers);
  }

  /**
   * Orders by id, in the order asked, 50 ids per `orders/?pk__in=…` request, each answer checked; falls
   * back to the channel's plain order list, read until every order is found, once Omnitron ignores the
   * filter or fails on it in any way.
   */
  override getOrders(ids: readonly number[]): Promise<Order[]> {
    return this.#orders.get(ids);
  }

  override createOrder(order: OrderCreate, options: CreateOptions = {}): Promise<Order> {
    return this.#orders.create(order, options);
  }

  override listOrdersAwaitingUpdate(_options: { limit: number }): AsyncIterable<Order> {
    return this.#orders.awaitingUpdate();
  }

  override listOrderItems(orderId: number): Promise<OrderItem[]> {
    return orderItems.listOrderItems(this.#rest, orderId);
  }

  /**
   * One `order_items/?order__in=…` request per 50 orders, each answer checked; falls back to one request
   * per order (the documented `?order=`) for good once Omnitron ignores the filter or fails on it in any way.
   */
  override listOrderItemsOfOrders(orderIds: readonly number[]): Promise<Map<number, OrderItem[]>> {
    return this.#itemsByOrder.find(orderIds);
  }

  override getOrderItem(id: number): Promise<OrderItem> {
    return orderItems.getOrderItem(this.#rest, id);
  }

  /**
   * One `order_items/?pk__in=…` request per 50 ids, each answer checked; falls back to one request per
   * item (the documented `order_items/{pk}/`) for good once Omnitron ignores the filter or fails on it.
   */
  override getOrderItems(ids: readonly number[]): Promise<Map<number, OrderItem>> {
    return this.#itemsById.find(ids);
  }

  override updateOrderItem(id: number, patch: OrderItemPatch): Promise<OrderItem> {
    return orderItems.updateOrderItem(this.#rest, id, patch);
  }

  override cancelOrder(orderId: number, request: OrderCancelRequest): Promise<void> {
    return this.#orders.cancel(orderId, request);
  }

  // Integration actions

  override listIntegrationActions(filter: IntegrationActionFilter): Promise<IntegrationAction[]> {
    return integrationActions.listIntegrationActions(this.#rest, filter);
  }

  // Cancellation requests

  override listCancellationRequestUpdates(_options: { limit: number }): AsyncIterable<CancellationRequest> {
    return cancellationRequests.listCancellationRequestUpdates(this.#rest);
  }

  override findCancellationRequestByRemoteId(remoteId: string): Promise<CancellationRequest | null> {
    return cancellationRequests.findCancellationRequestByRemoteId(this.#rest, remoteId);
  }

  /**
   * One `cancellation_requests/?remote_id__in=…` request per 50 ids, each answer checked; falls back to
   * the look-up {@link OmnitronRestIntegration.findCancellationRequestByRemoteId} makes, for each id, for good
   * once Omnitron ignores the filter or fails on it.
   */
  override findCancellationRequestsByRemoteIds(
    remoteIds: readonly string[],
  ): Promise<Map<string, CancellationRequest>> {
    return this.#requestsByRemoteId.find(remoteIds);
  }

  override createCancellationRequest(request: CancellationRequestCreate): Promise<CancellationRequest> {
    return cancellationRequests.createCancellationRequest(this.#rest, request);
  }

  // Error reports

  override createErrorReport(report: ErrorReport): Promise<void> {
    return this.#errorReports.create(report);
  }

  override createAddressErrorReport(report: AddressErrorReport): Promise<void> {
    return this.#errorReports.createAddressReport(report);
  }
}

/** The lock namespace of an Omnitron channel: its URL without credentials, query or trailing slash. */
function lockNamespaceOf(baseUrl: string, channelId: number): string {
  const url = new URL(baseUrl);
  return `omnitron:${url.host}${url.pathname.replace(/\/+$/, '')}:channel:${channelId}`;
}
