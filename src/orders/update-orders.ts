import type { SendUpdatedOrdersResult } from '../integrations/channel-integration.js';
import { awaitChannel } from './channel-stream.js';
import type { UpdateOrdersOptions } from './flow-options.js';
import type { FlowResult } from './flow-result.js';
import { type FlowDependencies, runFlow } from './flow-run.js';
import { batchObject } from './mappings.js';
import { finishWithResults, forwardReports } from './order-results.js';
import { ordersToSend } from './orders-to-send.js';
import { readFeed } from './read-feed.js';

/** How many orders one run sends, unless told otherwise. */
export const DEFAULT_UPDATE_LIMIT = 100;

/**
 * Sends orders changed in Omnitron to the marketplace. The orders are committed to a new batch request
 * first (so no other run sends them too), then handed to the channel. A synchronous answer finishes the
 * batch now; an asynchronous one (a marketplace job id) moves it to `sent_to_remote` for
 * `getOrderBatchRequests` to finish.
 */
export function updateOrders(deps: FlowDependencies, options: UpdateOrdersOptions): Promise<FlowResult> {
  const limit = options.limit ?? DEFAULT_UPDATE_LIMIT;
  return runFlow(
    deps,
    { flow: 'updateOrders', contentType: 'order', requires: ['sendUpdatedOrders'] },
    options,
    async (run, session) => {
      const scope = session.current;
      const orders = await readFeed(deps.omnitron.listOrdersAwaitingUpdate({ limit }), limit);
      run.counts.fetched = orders.length;
      if (orders.length === 0) return;
      await scope.tracker.commit(orders.map((order) => batchObject('order', order, null)));
      const toSend = await ordersToSend(deps.omnitron, orders);
      run.throwIfAborted();

      const answer: SendUpdatedOrdersResult = await awaitChannel(deps.redactor, 'sendUpdatedOrders', () =>
        deps.channel.sendUpdatedOrders({ ...scope.context, orders: toSend, isSync: options.isSync ?? true }),
      );
      await forwardReports(scope, 'SendUpdatedOrders', answer.reports);
      if (answer.status === 'sent_to_remote') {
        await scope.tracker.sentToRemote(answer.remoteBatchId);
        for (const { order } of toSend) {
          run.record({
            key: order.number,
            status: 'sent',
            omnitronId: order.id,
            batchRequestId: scope.tracker.batch.id,
          });
        }
        return;
      }
      await finishWithResults(run, scope, 'SendUpdatedOrders', toSend, answer.results);
    },
  );
}
