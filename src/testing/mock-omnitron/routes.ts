import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LocationKind } from '../../errors/lookup-errors.js';
import { addressToJson, locationToJson } from '../../omnitron/wire/address.js';
import { batchRequestToJson } from '../../omnitron/wire/batch-request.js';
import { cancellationRequestToJson } from '../../omnitron/wire/cancellation-request.js';
import { cargoCompanyToJson } from '../../omnitron/wire/cargo-company.js';
import { customerToJson } from '../../omnitron/wire/customer.js';
import { integrationActionToJson } from '../../omnitron/wire/integration-action.js';
import { orderItemToJson, orderToJson } from '../../omnitron/wire/order.js';
import { CONTENT_TYPE_IDS, type OmnitronStore } from '../omnitron-store.js';
import {
  AddressCreateBody,
  AddressErrorReportBody,
  BatchRequestCreateBody,
  BatchRequestPatchBody,
  CancellationRequestCreateBody,
  CreateOrdersBody,
  CustomerCreateBody,
  CustomerPatchBody,
  errorReportBody,
  OrderCancelBody,
  OrderItemPatchBody,
} from './requests/index.js';

/** What a route handler gets. */
export interface RouteContext {
  store: OmnitronStore;
  query: URLSearchParams;
  body: unknown;
  /** The path's captured groups. */
  params: string[];
  /** A page of a list, Omnitron style (`page`, `limit`; `{count, next, previous, results}`). */
  page: <T>(items: readonly T[], toJson: (item: T) => unknown) => unknown;
  /** Issues a token for a login. */
  issueToken: () => string;
  /** The user and password the server accepts. */
  credentials: { username: string; password: string };
}

/** A route's answer. */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/** A route: method, path pattern under `/api/v1/`, handler; `{c}` stands for `channel/<id>/`. */
export interface Route {
  method: string;
  pattern: RegExp;
  /** Whether it needs a token (all but login). */
  auth: boolean;
  handle: (ctx: RouteContext) => RouteAnswer;
}

/** A request body refused by the mock's own request schemas: answered 400 naming the fields, like DRF. */
export class BadRequest extends Error {
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super('bad request');
  }
}

/**
 * Parses a request body with one of the mock's request schemas (./requests/, written from the API
 * reference, not from the SDK's encoders). Field errors are keyed by the field's path, as DRF nests them.
 */
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  const add = (path: readonly PropertyKey[], message: string) => {
    const field = path.map(String).join('.') || 'non_field_errors';
    fieldErrors[field] = [...(fieldErrors[field] ?? []), message];
  };
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'Unknown field.');
    } else if (issue.path.length > 0 && valueAt(body, issue.path) === undefined) {
      add(issue.path, 'This field is required.');
    } else {
      add(issue.path, issue.message);
    }
  }
  throw new BadRequest(fieldErrors);
}

/** The value at a path of a parsed JSON body, or `undefined` when any step is missing. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const ok = (body: unknown): RouteAnswer => ({ status: 200, body });
const created = (body: unknown): RouteAnswer => ({ status: 201, body });
const ids = (value: string | null) => (value ? value.split(',').map(Number) : undefined);
const strings = (value: string | null) => (value ? value.split(',') : undefined);
const bool = (value: string | null) => (value === null ? undefined : value === 'True' || value === 'true');
const num = (value: string | null) => (value === null ? undefined : Number(value));

const LOCATION_KINDS: Record<string, LocationKind> = {
  countries: 'country',
  cities: 'city',
  townships: 'township',
  districts: 'district',
};

/** Builds the route table for a store's channel. */
export function routes(channelId: number): Route[] {
  const c = `channel/${channelId}/`;
  const route = (method: string, path: string, handle: Route['handle'], auth = true): Route => ({
    method,
    pattern: new RegExp(`^/api/v1/${path.replace('{c}', c)}$`),
    auth,
    handle,
  });
  const modelOf = (id: number) =>
    Object.entries(CONTENT_TYPE_IDS).find(([, v]) => v === id)?.[0] as
      | keyof typeof CONTENT_TYPE_IDS
      | undefined;

  return [
    route(
      'POST',
      'auth/login/',
      ({ body, issueToken, credentials: expected }) => {
        const creds = z.object({ username: z.string(), password: z.string() }).safeParse(body);
        if (
          !creds.success ||
          creds.data.username !== expected.username ||
          creds.data.password !== expected.password
        ) {
          return { status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } };
        }
        return ok({ key: issueToken() });
      },
      false,
    ),

    route('GET', `channels/${channelId}/`, ({ store }) =>
      ok({
        pk: channelId,
        name: store.channel.name,
        is_active: store.channel.isActive,
        conf: store.channel.conf,
      }),
    ),
    route('GET', 'catalogs/(\\d+)/', ({ store }) =>
      ok({ pk: store.catalog.id, price_list: store.catalog.priceList, stock_list: store.catalog.stockList }),
    ),
    route('GET', 'content_types/', ({ query, page }) => {
      const model = query.get('model');
      const types = Object.entries(CONTENT_TYPE_IDS).filter(([name]) => model === null || name === model);
      return ok(page(types, ([name, id]) => ({ id, model: name, app_label: 'omnitron' })));
    }),

    // Batch requests
    route('POST', '{c}batch_requests/', ({ store, body }) => {
      parse(BatchRequestCreateBody, body);
      return created(batchRequestToJson(store.createBatchRequest(), channelId));
    }),
    route('GET', '{c}batch_requests/', ({ store, query, page }) => {
      const statuses = query.getAll('status');
      const contentType = query.get('content_type');
      const batches = [...store.batchRequests.values()].filter(
        (b) =>
          (statuses.length === 0 || statuses.includes(b.status)) &&
          (contentType === null || b.contentType === contentType),
      );
      return ok(page(batches, (b) => batchRequestToJson(b, channelId)));
    }),
    route('GET', '{c}batch_requests/(\\d+)/', ({ store, params }) => {
      const batch = store.batchRequests.get(Number(params[0]));
      return batch
        ? ok(batchRequestToJson(batch, channelId))
        : { status: 404, body: { detail: 'Not found.' } };
    }),
    route('PATCH', '{c}batch_requests/(\\d+)/', ({ store, params, body }) =>
      ok(
        batchRequestToJson(
          store.transitionBatchRequest(Number(params[0]), parse(BatchRequestPatchBody, body)),
          channelId,
        ),
      ),
    ),

    // Integration actions
    route('GET', '{c}integration_actions/', ({ store, query, page }) => {
      const contentType = query.get('content_type_name');
      const remoteIds = strings(query.get('remote_id__in')) ?? strings(query.get('remote_id__exact'));
      const objectIds = ids(query.get('object_id__in')) ?? ids(query.get('object_id'));
      // The store's indexes answer the filtered queries the SDK sends; anything else is a scan.
      const indexed =
        contentType !== null && remoteIds !== undefined
          ? store.listIntegrationActions({ contentType, remoteIds })
          : contentType !== null && objectIds !== undefined
            ? store.listIntegrationActions({ contentType, objectIds })
            : undefined;
      const actions = (indexed ?? [...store.integrationActions.values()]).filter(
        (a) =>
          (contentType === null || a.contentType === contentType) &&
          (remoteIds === undefined || (a.remoteId !== null && remoteIds.includes(a.remoteId))) &&
          (objectIds === undefined || objectIds.includes(a.objectId)),
      );
      return ok(
        page(actions, (a) =>
          integrationActionToJson(
            a,
            channelId,
            CONTENT_TYPE_IDS[a.contentType as keyof typeof CONTENT_TYPE_IDS] ?? 0,
          ),
        ),
      );
    }),

    // Orders and items
    route('GET', '{c}orders/', ({ store, query, page }) => {
      const number = query.get('number');
      const pks = ids(query.get('pk__in'));
      const numbers = strings(query.get('number__in'));
      const candidates =
        number !== null
          ? [store.findOrderByNumber(number)].flatMap((o) => (o ? [o] : []))
          : numbers !== undefined
            ? numbers.flatMap((n) => store.findOrderByNumber(n) ?? [])
            : pks !== undefined
              ? store.getOrders(pks)
              : [...store.orders.values()];
      const orders = candidates.filter(
        (o) =>
          (pks === undefined || pks.includes(o.id)) && (numbers === undefined || numbers.includes(o.number)),
      );
      return ok(page(orders, (o) => orderToJson(o, channelId)));
    }),
    route('GET', '{c}orders/updates/', ({ store, page }) =>
      ok(page(store.listOrdersAwaitingUpdate(), (o) => orderToJson(o, channelId))),
    ),
    route('POST', '{c}orders/(\\d+)/cancel/', ({ store, params, body }) => {
      const { order, ...request } = parse(OrderCancelBody, body);
      if (order !== Number(params[0]))
        throw new BadRequest({ order: ['Does not match the order in the path.'] });
      store.cancelOrder(order, request);
      return ok({});
    }),
    route('POST', '{c}create_orders/', ({ store, body }) =>
      created(orderToJson(store.createOrder(parse(CreateOrdersBody, body)), channelId)),
    ),
    route('GET', '{c}order_items/', ({ store, query, page }) => {
      const order = num(query.get('order'));
      // `order__in` and `pk__in` are not in Omnitron's reference; the SDK checks that a server honours them.
      const orders = order !== undefined ? [order] : ids(query.get('order__in'));
      const pks = ids(query.get('pk__in'));
      const items = (
        orders === undefined
          ? [...store.orderItems.values()]
          : orders.flatMap((id) => (store.orders.has(id) ? store.listOrderItems(id) : []))
      )
        .filter((item) => pks === undefined || pks.includes(item.id))
        .sort((a, b) => a.id - b.id);
      return ok(page(items, orderItemToJson));
    }),
    route('GET', '{c}order_items/(\\d+)/', ({ store, params }) =>
      ok(orderItemToJson(store.getOrderItem(Number(params[0])))),
    ),
    route('PATCH', '{c}order_items/(\\d+)/', ({ store, params, body }) =>
      ok(orderItemToJson(store.updateOrderItem(Number(params[0]), parse(OrderItemPatchBody, body)))),
    ),

    // Customers, addresses, geography, cargo
    route('GET', '{c}customers/', ({ store, query, page }) => {
      const filter = {
        email: query.get('email') ?? undefined,
        phoneNumber: query.get('phone_number') ?? undefined,
      };
      return ok(page(store.findCustomers(filter), (customer) => customerToJson(customer, channelId)));
    }),
    route('POST', '{c}customers/', ({ store, body }) =>
      created(customerToJson(store.createCustomer(parse(CustomerCreateBody, body)), channelId)),
    ),
    route('PATCH', '{c}customers/(\\d+)/', ({ store, params, body }) =>
      ok(customerToJson(store.updateCustomer(Number(params[0]), parse(CustomerPatchBody, body)), channelId)),
    ),
    route('GET', '{c}addresses/', ({ store, query, page }) => {
      const customer = num(query.get('customer'));
      const found =
        customer === undefined
          ? store.findAddressesByHash(query.get('hash_data') ?? '')
          : store.findAddressesOfCustomer(customer);
      return ok(page(found, addressToJson));
    }),
    route('POST', '{c}addresses/', ({ store, body }) =>
      created(addressToJson(store.createAddress(parse(AddressCreateBody, body)))),
    ),
    route('GET', '{c}(countries|cities|townships|districts)/', ({ store, query, params, page }) => {
      const kind = LOCATION_KINDS[params[0] ?? ''] ?? 'country';
      const locations = store.listLocations(kind, {
        codeExact: query.get('code__exact') ?? undefined,
        nameExact: query.get('name__exact') ?? undefined,
        nameIexact: query.get('name__iexact') ?? undefined,
        mappingCode: query.get('mapping__code__exact') ?? undefined,
        country: num(query.get('country')),
        city: num(query.get('city')),
        township: num(query.get('township')),
        isActive: bool(query.get('is_active')),
      });
      return ok(page(locations, (l) => locationToJson({ ...l, parents: store.parentsOf(l) })));
    }),
    route('GET', '{c}retail_stores/', ({ store, query, page }) => {
      const id = store.retailStores.get(query.get('erp_code') ?? '');
      return ok(page(id === undefined ? [] : [id], (pk) => ({ pk, erp_code: query.get('erp_code') })));
    }),
    route('GET', '{c}cargos/', ({ store, page }) => ok(page(store.listCargoCompanies(), cargoCompanyToJson))),

    // Cancellation requests
    route('GET', '{c}cancellation_requests/', ({ store, query, page }) => {
      // `remote_id` and `remote_id__in` are not in Omnitron's reference; the SDK checks that a server honours them.
      const remoteIds = strings(query.get('remote_id__in'));
      const requests = store
        .listCancellationRequests({ remoteId: query.get('remote_id') ?? undefined })
        .filter((request) => remoteIds === undefined || remoteIds.includes(request.remoteId ?? ''));
      return ok(page(requests, cancellationRequestToJson));
    }),
    route('GET', '{c}cancellation_requests/updates/', ({ store, page }) =>
      ok(page(store.listCancellationRequestUpdates(), cancellationRequestToJson)),
    ),
    route('POST', '{c}cancellation_requests/', ({ store, body }) =>
      created(
        cancellationRequestToJson(
          store.createCancellationRequest(parse(CancellationRequestCreateBody, body)),
        ),
      ),
    ),

    // Error reports
    route('POST', '{c}error_reports/', ({ store, body }) => {
      store.createErrorReport(parse(errorReportBody(modelOf), body));
      return created({ id: store.errorReports.at(-1)?.id });
    }),
    route('POST', '{c}error_reports/(country|city|township|district)/', ({ store, body }) => {
      store.createAddressErrorReport(parse(AddressErrorReportBody, body));
      return created({});
    }),
  ];
}

/** A fresh random token. */
export function newToken(): string {
  return randomBytes(20).toString('hex');
}
