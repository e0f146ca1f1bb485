import type { OrderItem } from '../../dto/order.js';
import type { OrderItemPatch } from '../../dto/order-item-update.js';
import { OrderItemJson, orderItemPatchToJson } from '../wire/order.js';
import { all, type RestContext } from './context.js';

/** The items of an order, by id. */
export function listOrderItems(ctx: RestContext, orderId: number): Promise<OrderItem[]> {
  return all(ctx, 'order_items/', { order: orderId, sort: 'id' }, OrderItemJson);
}

/** One order item. */
export function getOrderItem(ctx: RestContext, id: number): Promise<OrderItem> {
  return ctx.http.request('GET', ctx.channelPath(`order_items/${id}/`), { schema: OrderItemJson });
}

/** Changes an order item (status, invoice, tracking). */
export function updateOrderItem(ctx: RestContext, id: number, patch: OrderItemPatch): Promise<OrderItem> {
  return ctx.http.request('PATCH', ctx.channelPath(`order_items/${id}/`), {
    json: orderItemPatchToJson(patch),
    schema: OrderItemJson,
  });
}
