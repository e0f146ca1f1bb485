import { batchObject } from '../common/mappings.js';
import { ordersToSend } from '../common/orders-to-send.js';
import { readFeed } from '../common/read-feed.js';
import { sendOrders } from '../common/send-orders.js';
import type { UpdateOrdersSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { type FlowDependencies, throwIfAborted } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';

/**
 * `updateOrders`: sends orders changed in Omnitron to the marketplace. The orders are read from
 * Omnitron's feed and committed to a new batch request first (so no other run sends them too), then handed
 * to the channel with their items and marketplace ids ({@link sendOrders}).
 */
export function updateOrders(deps: FlowDependencies, options: UpdateOrdersSettings): Promise<FlowResult> {
  const { limit } = options;
  const spec = { flow: 'updateOrders', contentType: 'order', requires: ['sendUpdatedOrders'] } as const;
  return runFlow(deps, spec, options, async (context, ledger, session) => {
    const scope = session.current;
    const orders = await readFeed(context.omnitron.listOrdersAwaitingUpdate({ limit }), limit);
    ledger.fetched(orders.length);
    if (orders.length === 0) return;
    await scope.tracker.commit(orders.map((order) => batchObject('order', order, null)));
    const toSend = await ordersToSend(context.omnitron, orders);
    throwIfAborted(context);

    await sendOrders(context, scope, toSend, options.isSync);
  });
}
