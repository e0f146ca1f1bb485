import pMap from 'p-map';
import type { OrderCancelRequest } from '../../dto/cancellation.js';
import type { Order, OrderCreate } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';
import {
  DuplicateOrderError,
  OmnitronConflictError,
  OmnitronValidationError,
} from '../../errors/omnitron-errors.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { FALLBACK_AT_ONCE, InFilterLookup } from '../in-filter-lookup.js';
import { FilterIgnored } from '../undocumented-filters.js';
import { CatalogJson } from '../wire/channel.js';
import { OrderJson, orderCancelToJson, orderCreateToJson } from '../wire/order.js';
import { all, feed, Ignored, list, type RestContext } from './context.js';
import { listOrderItems } from './order-items.js';

/** Ids per `pk__in` request: keeps the query string short. */
const CHUNK = 50;

/** Orders: look-ups by number, creates that never run twice, cancellations, the update queue. */
export class Orders {
  readonly #ctx: RestContext;
  /** Catalog whose price and stock lists new order items default to. */
  readonly #catalogId: number | undefined;
  readonly #byNumber: InFilterLookup<Order>;
  #catalog: Promise<{ priceList: number | null; stockList: number | null }> | undefined;

  constructor(ctx: RestContext, catalogId: number | undefined) {
    this.#ctx = ctx;
    this.#catalogId = catalogId;
    // An answer that wrongly leaves out an order cannot be detected here and needs no detection: the import
    // then tries to create the order, Omnitron refuses the duplicate number, and the import treats the order
    // as present.
    this.#byNumber = new InFilterLookup<Order>(
      { filter: 'orders/?number__in', what: 'orders', keyOf: (order) => order.number },
      {
        listIn: (numbers) =>
          list(ctx, 'orders/', { number__in: numbers.join(','), channel_id: ctx.channelId }, OrderJson),
        findEach: async (numbers) => {
          const found = await pMap(
            numbers,
            async (number) => [number, await this.findByNumber(number)] as const,
            {
              concurrency: FALLBACK_AT_ONCE,
            },
          );
          return new Map(found.flatMap(([number, order]) => (order ? [[number, [order]] as const] : [])));
        },
      },
      ctx.filters,
    );
  }

  /** The channel's order with this number, or `null`. */
  async findByNumber(number: string): Promise<Order | null> {
    const orders = await all(this.#ctx, 'orders/', { number, channel_id: this.#ctx.channelId }, OrderJson);
    return orders.find((o) => o.number === number) ?? null;
  }

  /**
   * Orders by number, 50 numbers per request with `orders/?number__in` (undocumented: checked, with a
   * fallback to the documented `?number=`, one number at a time: see {@link InFilterLookup}).
   */
  async findByNumbers(numbers: readonly string[]): Promise<Map<string, Order>> {
    const found = await this.#byNumber.find(numbers);
    return new Map([...found].flatMap(([number, [order]]) => (order ? [[number, order] as const] : [])));
  }

  /**
   * Orders by id, in the order asked (an id Omnitron has no order for is left out). `orders/?pk__in=…` is
   * in the Python client's trace but not in Omnitron's public reference, and no request of either reads an
   * order by id: when the filter fails, the fallback is the documented plain list of the channel's orders,
   * read until every order asked for is found.
   */
  async get(ids: readonly number[]): Promise<Order[]> {
    const ctx = this.#ctx;
    const wanted = [...new Set(ids)];
    const found = new Map<number, Order>();
    // No more ids per request than a page holds: one order per id, so every answer is a single page. An
    // Omnitron that ignores `?page=` then answers whole, and the filter is not given up for the pages it
    // does not serve: its fallback, the plain order list, could not be read past the first page there.
    const size = Math.min(CHUNK, ctx.pageSize);
    await ctx.filters.use(
      'orders/?pk__in',
      async () => {
        for (let start = 0; start < wanted.length; start += size) {
          const chunk = new Set(wanted.slice(start, start + size));
          const answer = list(ctx, 'orders/', { pk__in: [...chunk].join(',') }, OrderJson);
          for await (const order of answer) {
            if (!chunk.has(order.id)) throw new FilterIgnored('orders not asked for');
            found.set(order.id, order);
          }
        }
      },
      async () => {
        const missing = new Set(wanted.filter((id) => !found.has(id)));
        if (missing.size === 0) return;
        for await (const order of list(ctx, 'orders/', { channel_id: ctx.channelId }, OrderJson)) {
          if (!missing.delete(order.id)) continue;
          found.set(order.id, order);
          if (missing.size === 0) return;
        }
      },
    );
    return wanted.flatMap((id) => found.get(id) ?? []);
  }

  /** Creates an order; one Omnitron already has under its number is a `DuplicateOrderError`. */
  async create(order: OrderCreate, options: CreateOptions = {}): Promise<Order> {
    const ctx = this.#ctx;
    const body = orderCreateToJson(await this.#withCatalogDefaults(order), ctx.channelId);
    const find = () => this.findByNumber(order.number);
    try {
      // A create whose answer is lost is looked up by number before it is sent again: never two orders.
      return await createBehindLookup(
        () =>
          ctx.http.request('POST', ctx.hooks.channelPath('create_orders/'), {
            json: body,
            schema: OrderJson,
          }),
        find,
        ctx.creates(`order ${order.number}`, options),
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
    const catalogId = this.#catalogId;
    if (
      catalogId === undefined ||
      order.items.every((i) => i.priceList !== undefined && i.stockList !== undefined)
    )
      return order;
    this.#catalog ??= this.#ctx.http
      .request('GET', `catalogs/${catalogId}/`, { schema: CatalogJson })
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

  /** Orders changed in Omnitron that the marketplace has not been told of. */
  async *awaitingUpdate(): AsyncIterable<Order> {
    yield* feed(this.#ctx, 'orders/updates/', {}, OrderJson);
  }

  /** Cancels order lines; a cancellation whose fate is unknown is checked on the items before it is sent again. */
  async cancel(orderId: number, request: OrderCancelRequest): Promise<void> {
    const ctx = this.#ctx;
    const done = async () => {
      const items = await listOrderItems(ctx, orderId);
      const cancelled = new Set(items.filter((i) => i.status === OrderStatus.cancelled).map((i) => i.id));
      return request.cancelItems.every((id) => cancelled.has(id)) ? true : null;
    };
    await createBehindLookup(
      () =>
        ctx.http
          .request('POST', ctx.hooks.channelPath(`orders/${orderId}/cancel/`), {
            json: orderCancelToJson(orderId, request),
            schema: Ignored,
          })
          .then(() => true),
      done,
      ctx.creates(`cancellation of order ${orderId}`),
    );
  }
}
