import pMap from 'p-map';
import type { OrderItem } from '../../dto/order.js';
import type { OrderItemPatch } from '../../dto/order-item-update.js';
import { FALLBACK_AT_ONCE, InFilterLookup } from '../in-filter-lookup.js';
import { OrderItemJson, orderItemPatchToJson } from '../wire/order.js';
import { all, list, type RestContext } from './context.js';

/** The items of an order, by id. */
export function listOrderItems(ctx: RestContext, orderId: number): Promise<OrderItem[]> {
  return all(ctx, 'order_items/', { order: orderId, sort: 'id' }, OrderItemJson);
}

/**
 * The items of many orders, 50 orders per request with `order_items/?order__in=…` (undocumented: checked,
 * with a fallback to the documented `?order=<id>`, one order at a time: see {@link InFilterLookup}), so an
 * import links a chunk of orders with one request instead of one per order.
 */
export class OrderItemsByOrder {
  readonly #lookup: InFilterLookup<OrderItem>;

  constructor(ctx: RestContext) {
    this.#lookup = new InFilterLookup<OrderItem>(
      { filter: 'order_items/?order__in', what: 'order items', keyOf: (item) => String(item.order) },
      {
        listIn: (orders) =>
          list(ctx, 'order_items/', { order__in: orders.join(','), sort: 'id' }, OrderItemJson),
        findEach: async (orders) =>
          new Map(
            await pMap(orders, async (order) => [order, await listOrderItems(ctx, Number(order))] as const, {
              concurrency: FALLBACK_AT_ONCE,
            }),
          ),
      },
      ctx.filters,
    );
  }

  /** The items of these orders, by order id; an order with no items maps to `[]`. */
  async find(orderIds: readonly number[]): Promise<Map<number, OrderItem[]>> {
    const found = await this.#lookup.find(orderIds.map(String));
    return new Map(orderIds.map((id) => [id, found.get(String(id)) ?? []]));
  }
}

/**
 * Order items by id, 50 per request with `order_items/?pk__in=…` (undocumented: checked, with a fallback
 * to the documented `order_items/{pk}/`, one item at a time: see {@link InFilterLookup}), so a chunk of
 * line changes reads its units with one request instead of one per unit.
 */
export class OrderItemsById {
  readonly #lookup: InFilterLookup<OrderItem>;

  constructor(ctx: RestContext) {
    this.#lookup = new InFilterLookup<OrderItem>(
      { filter: 'order_items/?pk__in', what: 'order items', keyOf: (item) => String(item.id) },
      {
        listIn: (ids) => list(ctx, 'order_items/', { pk__in: ids.join(','), sort: 'id' }, OrderItemJson),
        findEach: async (ids) =>
          new Map(
            await pMap(ids, async (id) => [id, [await getOrderItem(ctx, Number(id))]] as const, {
              concurrency: FALLBACK_AT_ONCE,
            }),
          ),
      },
      ctx.filters,
    );
  }

  /** The items with these ids, by id; an id with no item is absent. */
  async find(ids: readonly number[]): Promise<Map<number, OrderItem>> {
    const found = await this.#lookup.find(ids.map(String));
    return new Map([...found.values()].flatMap((items) => items.map((item) => [item.id, item] as const)));
  }
}

/** One order item. */
export function getOrderItem(ctx: RestContext, id: number): Promise<OrderItem> {
  return ctx.http.request('GET', ctx.hooks.channelPath(`order_items/${id}/`), { schema: OrderItemJson });
}

/** Changes an order item (status, invoice, tracking). */
export function updateOrderItem(ctx: RestContext, id: number, patch: OrderItemPatch): Promise<OrderItem> {
  return ctx.http.request('PATCH', ctx.hooks.channelPath(`order_items/${id}/`), {
    json: orderItemPatchToJson(patch),
    schema: OrderItemJson,
  });
}
