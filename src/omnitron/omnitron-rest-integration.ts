import { z } from 'zod';
import type { Address, ChannelAddress, ResolvedLocation } from '../dto/address.js';
import type { BatchRequest, BatchRequestStatus, BatchRequestTransition } from '../dto/batch-request.js';
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
  type CustomerIdentifierField,
  customerChanges,
  customerIdentifier,
} from '../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../dto/error-report.js';
import type { IntegrationAction, IntegrationActionFilter } from '../dto/integration-action.js';
import { type Order, type OrderCreate, type OrderItem, OrderStatus } from '../dto/order.js';
import type { OrderItemPatch } from '../dto/order-item-update.js';
import { BatchTransitionError } from '../errors/batch-transition-error.js';
import { CargoCompanyNotFoundError } from '../errors/cargo-company-not-found-error.js';
import { DuplicateOrderError } from '../errors/duplicate-order-error.js';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import { OmnitronConflictError } from '../errors/omnitron-conflict-error.js';
import { OmnitronResponseError } from '../errors/omnitron-response-error.js';
import { OmnitronValidationError } from '../errors/omnitron-validation-error.js';
import { type LocationKind, UnknownLocationError } from '../errors/unknown-location-error.js';
import { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { silentLogger } from '../reporting/logger.js';
import { SecretRedactor } from '../reporting/redact.js';
import { createBehindLookup } from './create-behind-lookup.js';
import { wasDelivered } from './delivery.js';
import { OmnitronHttpClient, type Query, type RetryPolicy } from './http-client.js';
import { OrderNumberLookup } from './orders-by-number.js';
import { type OmnitronRestIntegrationOptions, OmnitronRestOptions } from './rest-options.js';
import { InMemoryTokenStore } from './token-store.js';
import { TtlCache } from './ttl-cache.js';
import { addressAnswerJson, addressCreateToJson, LocationJson } from './wire/address.js';
import { BatchRequestJson, BatchRequestStatusJson, transitionToJson } from './wire/batch-request.js';
import { CancellationRequestJson, cancellationRequestCreateToJson } from './wire/cancellation-request.js';
import { CargoCompanyJson } from './wire/cargo-company.js';
import { CatalogJson, ChannelJson } from './wire/channel.js';
import { CustomerJson, customerChangesToJson, customerCreateToJson } from './wire/customer.js';
import { addressErrorReportToJson, ContentTypeJson, errorReportToJson } from './wire/error-report.js';
import { IntegrationActionJson } from './wire/integration-action.js';
import {
  OrderItemJson,
  OrderJson,
  orderCancelToJson,
  orderCreateToJson,
  orderItemPatchToJson,
} from './wire/order.js';

/** Ids per `__in` filter: keeps URLs short. */
const CHUNK = 50;
const Ignored = z.unknown();

/**
 * The real Omnitron, over its REST API (`/api/v1/`). Construct it with credentials and the channel id;
 * it logs in on first use and keeps the token in its token store.
 *
 * Subclass it to change one behaviour, such as how locations are resolved ({@link resolveLocation}).
 *
 * @example
 * ```ts
 * const omnitron = new OmnitronRestIntegration({
 *   baseUrl: process.env.OMNITRON_URL, username: process.env.OMNITRON_USERNAME,
 *   password: process.env.OMNITRON_PASSWORD, channelId: process.env.OMNITRON_CHANNEL_ID,
 *   catalogId: process.env.OMNITRON_CATALOG_ID, logger,
 * });
 * ```
 */
export class OmnitronRestIntegration extends OmnitronIntegration {
  /** The HTTP transport: auth, retries, pagination, typed errors. */
  protected readonly http: OmnitronHttpClient;
  /** Omnitron id of the channel. */
  readonly channelId: number;
  readonly #catalogId: number | undefined;
  readonly #retry: RetryPolicy;
  /** How long a create whose fate is unknown gets to finish server-side before it is looked up again. */
  readonly #settleTime: number;
  readonly #lockNamespace: string;
  readonly #pageSize: number;
  readonly #ordersByNumber: OrderNumberLookup;
  readonly #contentTypeIds = new Map<ContentTypeName, Promise<number>>();
  readonly #locations: TtlCache<number>;
  readonly #cargo: TtlCache<CargoCompany[]>;
  #catalog: Promise<{ priceList: number | null; stockList: number | null }> | undefined;

  constructor(options: OmnitronRestIntegrationOptions) {
    super();
    const parsed = OmnitronRestOptions.safeParse(options);
    if (!parsed.success) throw InvalidOptionsError.fromZod('OmnitronRestIntegration', parsed.error);
    const o = parsed.data;
    this.channelId = o.channelId;
    this.#catalogId = o.catalogId;
    this.#retry = o.retry;
    // A server slower than our timeout is still working on a request we gave up on: give it that long again.
    this.#settleTime = o.settleTime ?? o.timeout;
    this.#lockNamespace = lockNamespaceOf(o.baseUrl, o.channelId);
    this.#pageSize = o.pageSize;
    this.#ordersByNumber = new OrderNumberLookup(
      {
        listByNumbers: (numbers) =>
          this.#list('orders/', { number__in: numbers.join(','), channel_id: this.channelId }, OrderJson),
        findEach: (numbers) => super.findOrdersByNumbers(numbers),
      },
      o.logger ?? silentLogger,
    );
    this.#locations = new TtlCache(o.cacheTtl);
    this.#cargo = new TtlCache(o.cacheTtl);
    this.http = new OmnitronHttpClient({
      baseUrl: o.baseUrl,
      username: o.username,
      password: o.password,
      timeout: o.timeout,
      deadline: o.deadline,
      maxResponseBytes: o.maxResponseBytes,
      maxRetryAfter: o.maxRetryAfter,
      retry: o.retry,
      tokenStore: o.tokenStore ?? new InMemoryTokenStore(),
      logger: o.logger ?? silentLogger,
      redactor: new SecretRedactor([o.password]),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  }

  /**
   * Names this Omnitron and channel in lock keys (`omnitron:<origin><path>:channel:<id>`, no credentials):
   * every client of the same Omnitron channel, in any process, gets the same name.
   */
  override get lockNamespace(): string {
    return this.#lockNamespace;
  }

  /** How creates are retried behind a look-up. */
  #creates(what: string) {
    return { retry: this.#retry, settleTime: this.#settleTime, what };
  }

  /** A path under this channel: `channel/<id>/<path>`. */
  protected channelPath(path: string): string {
    return `channel/${this.channelId}/${path}`;
  }

  #list<S extends z.ZodType>(path: string, query: Query, schema: S): AsyncGenerator<z.infer<S>> {
    return this.http.paginate(this.channelPath(path), query, schema, this.#pageSize);
  }

  async #all<S extends z.ZodType>(path: string, query: Query, schema: S): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    for await (const item of this.#list(path, query, schema)) out.push(item);
    return out;
  }

  /** Lists by an `__in` filter, `CHUNK` ids per request. */
  async #allIn<S extends z.ZodType>(
    path: string,
    query: Query,
    filter: string,
    ids: readonly (string | number)[],
    schema: S,
  ): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    for (let start = 0; start < ids.length; start += CHUNK) {
      out.push(
        ...(await this.#all(path, { ...query, [filter]: ids.slice(start, start + CHUNK).join(',') }, schema)),
      );
    }
    return out;
  }

  override async getChannel(): Promise<Channel> {
    const path = `channels/${this.channelId}/`;
    const channel = await this.http.request('GET', path, { schema: ChannelJson });
    const conf = ChannelConf.safeParse(channel.conf ?? {});
    if (!conf.success) {
      const issues = conf.error.issues.map((i) => ({
        path: `conf.${i.path.map(String).join('.')}`,
        message: i.message,
      }));
      throw new OmnitronResponseError(
        `Channel ${this.channelId} has invalid order settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        {
          http: { method: 'GET', path },
          issues,
          retriable: false,
        },
      );
    }
    return { id: channel.pk, name: channel.name, isActive: channel.is_active, conf: conf.data };
  }

  // Batch requests

  override createBatchRequest(_contentType: ContentTypeName): Promise<BatchRequest> {
    // A batch cannot be looked up (its create carries nothing to find it by), so one whose fate is unknown
    // is sent again: the extra batch stays in `initialized`, holds nothing, blocks nothing, and the next
    // run closes it once stale. One answered 2xx is never sent again (`createBehindLookup`).
    return createBehindLookup(
      () =>
        this.http.request('POST', this.channelPath('batch_requests/'), {
          json: { channel: this.channelId },
          schema: BatchRequestJson,
        }),
      null,
      this.#creates('batch request'),
    );
  }

  override async transitionBatchRequest(
    id: number,
    transition: BatchRequestTransition,
  ): Promise<BatchRequest> {
    const path = this.channelPath(`batch_requests/${id}/`);
    try {
      return await this.http.request('PATCH', path, {
        json: transitionToJson(transition, this.channelId),
        schema: BatchRequestStatusJson,
      });
    } catch (error) {
      if (!(error instanceof OmnitronConflictError)) throw error;
      // A retried PATCH whose first answer was lost finds the batch already moved: that is success.
      // `GET batch_requests/{id}/` is in Omnitron's public API reference (200, or 404 when unknown), which
      // is authoritative; the list route's filters are documented nowhere (an `id` filter a server ignored
      // would answer with every batch), and a list by status would page through every finished batch.
      const current = await this.http.request('GET', path, { schema: BatchRequestJson });
      if (current.status === transition.status) return current;
      throw new BatchTransitionError(
        id,
        current.status,
        transition.status,
        `Omnitron refused it (${error.omnitronCode ?? 'conflict'})`,
        {
          cause: error,
          http: error.http,
          ...(error.omnitronCode ? { omnitronCode: error.omnitronCode } : {}),
        },
      );
    }
  }

  override async *listBatchRequests(filter: {
    statuses: readonly BatchRequestStatus[];
    contentType?: ContentTypeName;
  }): AsyncIterable<BatchRequest> {
    // One query per status: whether Omnitron honours a repeated `status` key is not known.
    for (const status of filter.statuses) {
      const found = this.#list(
        'batch_requests/',
        { status, content_type: filter.contentType, channel: this.channelId, sort: 'id' },
        BatchRequestJson,
      );
      // Checked here too: a server that ignored a filter must not hand over another flow's batches.
      for await (const batch of found) {
        if (batch.status !== status) continue;
        if (filter.contentType !== undefined && batch.contentType !== filter.contentType) continue;
        yield batch;
      }
    }
  }

  // Customers and addresses

  override async getOrCreateCustomer(
    customer: ChannelCustomer,
    identifierField: CustomerIdentifierField,
  ): Promise<Customer> {
    const value = customerIdentifier(customer, identifierField);
    const find = async () => {
      const found = await this.#all(
        'customers/',
        { [identifierField]: value, channel: this.channelId },
        CustomerJson,
      );
      const key = identifierField === 'email' ? 'email' : 'phoneNumber';
      return found.find((c) => c[key]?.toLowerCase() === value.toLowerCase()) ?? null;
    };
    const existing = await find();
    if (existing) {
      const changes = customerChanges(existing, customer);
      if (Object.keys(changes).length === 0) return existing;
      return this.http.request('PATCH', this.channelPath(`customers/${existing.id}/`), {
        json: customerChangesToJson(changes),
        schema: CustomerJson,
      });
    }
    return createBehindLookup(
      () =>
        this.http.request('POST', this.channelPath('customers/'), {
          json: customerCreateToJson(customer, this.channelId),
          schema: CustomerJson,
        }),
      find,
      this.#creates('customer'),
    );
  }

  override async getOrCreateAddress(customer: Customer, address: ChannelAddress): Promise<Address> {
    const location = await this.resolveLocation(address);
    const retailStore =
      address.retailStore === undefined ? undefined : await this.#retailStore(address.retailStore);
    const sent = {
      customer: customer.id,
      location,
      address,
      ...(retailStore !== undefined ? { retailStore } : {}),
    };
    const body = addressCreateToJson(sent, customer);
    const AddressJson = addressAnswerJson(sent);
    const create = async () => {
      try {
        return await this.http.request('POST', this.channelPath('addresses/'), {
          json: body,
          schema: AddressJson,
        });
      } catch (error) {
        // Omnitron keeps one copy of an address and names the existing one's hash when asked for another.
        const hash = error instanceof OmnitronValidationError ? existingAddressHash(error) : undefined;
        if (!hash) throw error;
        const [existing] = await this.#all('addresses/', { hash_data: hash }, AddressJson);
        if (!existing) throw error;
        return existing;
      }
    };
    // A repeated POST cannot duplicate an address (see above), so it needs no look-up first. One answered
    // 2xx is not sent again even so: the next run finds it by its hash.
    return createBehindLookup(create, null, this.#creates('address'));
  }

  /**
   * Resolves an address's country, city, township and district: by code or name (case-insensitive), then
   * by the mapping a merchant made (`<channelId>_<value>`), each within the level above it.
   */
  protected async resolveLocation(address: ChannelAddress): Promise<ResolvedLocation> {
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
      this.#lookUpLocation(kind, path, value, parents, byCode),
    );
  }

  async #lookUpLocation(
    kind: LocationKind,
    path: string,
    value: string,
    parents: Record<string, number>,
    byCode: boolean,
  ): Promise<number> {
    const remoteCode = `${this.channelId}_${value}`;
    const queries: Query[] = [
      ...(byCode ? [{ code__exact: value, is_active: 'True' }] : []),
      { name__iexact: value, ...parents, is_active: 'True' },
      { mapping__code__exact: remoteCode, mapping__integration_type: 'sales_channel', ...parents },
    ];
    for (const query of queries) {
      const found = await this.#all(path, query, LocationJson);
      if (found.length === 1 && found[0]) return found[0].id;
    }
    throw new UnknownLocationError(kind, value, remoteCode, {
      ...(parents.country !== undefined ? { countryId: parents.country } : {}),
      ...(parents.city !== undefined ? { cityId: parents.city } : {}),
      ...(parents.township !== undefined ? { townshipId: parents.township } : {}),
    });
  }

  async #retailStore(erpCode: string): Promise<number> {
    const stores = await this.#all(
      'retail_stores/',
      { erp_code: erpCode },
      z.object({ pk: z.number() }).or(z.object({ id: z.number() })),
    );
    const [store] = stores;
    if (stores.length !== 1 || !store) throw new MappingNotFoundError('retailstore', { remoteId: erpCode });
    return 'pk' in store ? store.pk : store.id;
  }

  // Cargo and products

  override async getCargoCompanyByCode(code: string): Promise<CargoCompany> {
    const load = () => this.#all('cargos/', {}, CargoCompanyJson);
    const known = (await this.#cargo.remember('all', load)).find((c) => c.erpCode === code);
    if (known) return known;
    // A company added since the list was read is found by reading it again.
    this.#cargo.forget('all');
    const fresh = (await this.#cargo.remember('all', load)).find((c) => c.erpCode === code);
    if (!fresh) throw new CargoCompanyNotFoundError(code);
    return fresh;
  }

  override async getProductIds(remoteIds: readonly string[]): Promise<Map<string, number>> {
    const actions = await this.#allIn(
      'integration_actions/',
      { channel: this.channelId, content_type_name: 'product', sort: 'id' },
      'remote_id__in',
      remoteIds,
      IntegrationActionJson,
    );
    const wanted = new Set(remoteIds);
    return new Map(
      actions
        .filter((a) => a.remoteId !== null && wanted.has(a.remoteId))
        .map((a) => [a.remoteId as string, a.objectId]),
    );
  }

  // Orders

  override async findOrderByNumber(number: string): Promise<Order | null> {
    const orders = await this.#all('orders/', { number, channel_id: this.channelId }, OrderJson);
    return orders.find((o) => o.number === number) ?? null;
  }

  /**
   * One `orders/?number__in=…` request per 50 numbers, each answer checked; falls back to one look-up per
   * number once Omnitron turns out to ignore the filter.
   */
  override findOrdersByNumbers(numbers: readonly string[]): Promise<Map<string, Order>> {
    return this.#ordersByNumber.find(numbers);
  }

  override getOrders(ids: readonly number[]): Promise<Order[]> {
    return this.#allIn('orders/', {}, 'pk__in', ids, OrderJson);
  }

  override async createOrder(order: OrderCreate): Promise<Order> {
    const body = orderCreateToJson(await this.#withCatalogDefaults(order), this.channelId);
    const find = () => this.findOrderByNumber(order.number);
    try {
      // A create whose answer is lost is looked up by number before it is sent again: never two orders.
      return await createBehindLookup(
        () =>
          this.http.request('POST', this.channelPath('create_orders/'), { json: body, schema: OrderJson }),
        find,
        this.#creates(`order ${order.number}`),
      );
    } catch (error) {
      if (
        (error instanceof OmnitronValidationError || error instanceof OmnitronConflictError) &&
        (await find())
      ) {
        throw new DuplicateOrderError(order.number, { cause: error });
      }
      throw error;
    }
  }

  async #withCatalogDefaults(order: OrderCreate): Promise<OrderCreate> {
    if (
      this.#catalogId === undefined ||
      order.items.every((i) => i.priceList !== undefined && i.stockList !== undefined)
    )
      return order;
    this.#catalog ??= this.http
      .request('GET', `catalogs/${this.#catalogId}/`, { schema: CatalogJson })
      .then((c) => ({ priceList: c.price_list ?? null, stockList: c.stock_list ?? null }));
    const catalog = await this.#catalog.catch((error: unknown) => {
      this.#catalog = undefined;
      throw error;
    });
    return {
      ...order,
      items: order.items.map((i) => ({
        ...i,
        priceList: i.priceList ?? catalog.priceList ?? undefined,
        stockList: i.stockList ?? catalog.stockList ?? undefined,
      })),
    };
  }

  override async *listOrdersAwaitingUpdate(_options: { limit: number }): AsyncIterable<Order> {
    yield* this.#list('orders/updates/', {}, OrderJson);
  }

  override listOrderItems(orderId: number): Promise<OrderItem[]> {
    return this.#all('order_items/', { order: orderId, sort: 'id' }, OrderItemJson);
  }

  override getOrderItem(id: number): Promise<OrderItem> {
    return this.http.request('GET', this.channelPath(`order_items/${id}/`), { schema: OrderItemJson });
  }

  override updateOrderItem(id: number, patch: OrderItemPatch): Promise<OrderItem> {
    return this.http.request('PATCH', this.channelPath(`order_items/${id}/`), {
      json: orderItemPatchToJson(patch),
      schema: OrderItemJson,
    });
  }

  override async cancelOrder(orderId: number, request: OrderCancelRequest): Promise<void> {
    const done = async () => {
      const items = await this.listOrderItems(orderId);
      const cancelled = new Set(items.filter((i) => i.status === OrderStatus.cancelled).map((i) => i.id));
      return request.cancelItems.every((id) => cancelled.has(id)) ? true : null;
    };
    await createBehindLookup(
      () =>
        this.http
          .request('POST', this.channelPath(`orders/${orderId}/cancel/`), {
            json: orderCancelToJson(orderId, request),
            schema: Ignored,
          })
          .then(() => true),
      done,
      this.#creates(`cancellation of order ${orderId}`),
    );
  }

  // Integration actions

  override listIntegrationActions(filter: IntegrationActionFilter): Promise<IntegrationAction[]> {
    const query = { channel: this.channelId, content_type_name: filter.contentType, sort: 'id' };
    return 'remoteIds' in filter
      ? this.#allIn('integration_actions/', query, 'remote_id__in', filter.remoteIds, IntegrationActionJson)
      : this.#allIn('integration_actions/', query, 'object_id__in', filter.objectIds, IntegrationActionJson);
  }

  // Cancellation requests

  override async *listCancellationRequestUpdates(_options: {
    limit: number;
  }): AsyncIterable<CancellationRequest> {
    yield* this.#list('cancellation_requests/updates/', {}, CancellationRequestJson);
  }

  override async findCancellationRequestByRemoteId(remoteId: string): Promise<CancellationRequest | null> {
    // Omnitron's reference lists no filter of cancellation requests (`remote_id` is what the Python client
    // used, and no documented filter identifies a request). A server that ignores the filter answers with
    // every request, so each item is checked, and paging stops at the first match instead of reading all of
    // them. Not finding it still reads every page: stopping early there could create the request twice.
    for await (const request of this.#list(
      'cancellation_requests/',
      { remote_id: remoteId },
      CancellationRequestJson,
    )) {
      if (request.remoteId === remoteId) return request;
    }
    return null;
  }

  override createCancellationRequest(request: CancellationRequestCreate): Promise<CancellationRequest> {
    return createBehindLookup(
      () =>
        this.http.request('POST', this.channelPath('cancellation_requests/'), {
          json: cancellationRequestCreateToJson(request),
          schema: CancellationRequestJson,
        }),
      () => this.findCancellationRequestByRemoteId(request.remoteId),
      this.#creates(`cancellation request ${request.remoteId}`),
    );
  }

  // Error reports

  override async createErrorReport(report: ErrorReport): Promise<void> {
    const json = await errorReportToJson(report, this.channelId, (model) => this.#contentTypeId(model));
    await this.#postReport(this.channelPath('error_reports/'), json);
  }

  override async createAddressErrorReport(report: AddressErrorReport): Promise<void> {
    await this.#postReport(
      this.channelPath(`error_reports/${report.type}/`),
      addressErrorReportToJson(report),
    );
  }

  /**
   * Posts a report, sending it again when its fate is unknown: a log row written twice is harmless, one
   * never written hides why an order was rejected.
   */
  async #postReport(path: string, json: unknown): Promise<void> {
    try {
      await createBehindLookup(
        () => this.http.request('POST', path, { json, schema: Ignored }),
        null,
        this.#creates('error report'),
      );
    } catch (error) {
      // Answered 2xx: the report was written, whatever its answer looked like.
      if (!wasDelivered(error)) throw error;
    }
  }

  /** Omnitron's id of a content type, looked up once per process. */
  #contentTypeId(model: ContentTypeName): Promise<number> {
    let id = this.#contentTypeIds.get(model);
    if (!id) {
      id = (async () => {
        for await (const type of this.http.paginate(
          'content_types/',
          { model },
          ContentTypeJson,
          this.#pageSize,
        ))
          if (type.model === model) return type.id;
        throw new OmnitronResponseError(`Omnitron has no content type "${model}"`, {
          http: { method: 'GET', path: 'content_types/' },
          retriable: false,
        });
      })();
      id.catch(() => this.#contentTypeIds.delete(model));
      this.#contentTypeIds.set(model, id);
    }
    return id;
  }
}

/** The lock namespace of an Omnitron channel: its URL without credentials, query or trailing slash. */
function lockNamespaceOf(baseUrl: string, channelId: number): string {
  const url = new URL(baseUrl);
  return `omnitron:${url.host}${url.pathname.replace(/\/+$/, '')}:channel:${channelId}`;
}

/** The hash Omnitron names in its "address already exists" error (a string or a list of strings). */
function existingAddressHash(error: OmnitronValidationError): string | undefined {
  for (const message of error.fieldErrors.non_field_errors ?? []) {
    const match = /hash_data:([A-Za-z0-9]+)/.exec(message);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
