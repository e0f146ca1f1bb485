import type { Order } from '../../dto/order.js';
import type { OrderToSend } from '../../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../../integrations/omnitron-integration.js';
import { remoteIdByObjectId } from './mappings.js';

/**
 * Orders with their items and the marketplace ids they were imported under, ready for the channel: two
 * look-ups for the whole list (links, then items), not one per order.
 */
export async function ordersToSend(
  omnitron: OmnitronIntegration,
  orders: readonly Order[],
): Promise<OrderToSend[]> {
  const ids = orders.map((o) => o.id);
  const remoteIds = await remoteIdByObjectId(omnitron, 'order', ids);
  const items = await omnitron.listOrderItemsOfOrders(ids);
  return orders.map((order) => ({
    order,
    remoteId: remoteIds.get(order.id) ?? null,
    items: items.get(order.id) ?? [],
  }));
}
