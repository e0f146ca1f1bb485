import type { Order } from '../dto/order.js';
import type { OrderToSend } from '../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { remoteIdByObjectId } from './mappings.js';

/** Orders with their items and the marketplace ids they were imported under, ready for the channel. */
export async function ordersToSend(
  omnitron: OmnitronIntegration,
  orders: readonly Order[],
): Promise<OrderToSend[]> {
  const remoteIds = await remoteIdByObjectId(
    omnitron,
    'order',
    orders.map((o) => o.id),
  );
  const out: OrderToSend[] = [];
  for (const order of orders) {
    out.push({
      order,
      remoteId: remoteIds.get(order.id) ?? null,
      items: await omnitron.listOrderItems(order.id),
    });
  }
  return out;
}
