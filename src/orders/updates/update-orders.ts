import { InvalidPayloadError } from '../../errors/channel-errors.js';
import type { SendUpdatedOrdersAnswer } from '../channel-port.js';
import type { UpdateOrdersSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { batchObject } from '../mappings.js';
import { readFeed } from '../read-feed.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { finishWithResults } from './order-results.js';
import { ordersToSend } from './orders-to-send.js';

/**
 * `updateOrders`: sends orders changed in Omnitron to the marketplace. The orders are read from
 * Omnitron's feed and committed to a new batch request first (so no other run sends them too), then handed
 * to the channel with their items and marketplace ids. A synchronous answer finishes the batch now (see
 * {@link finishWithResults}); an asynchronous one (a marketplace job id) moves it to `sent_to_remote` for
 * `getOrderBatchRequests` to finish. An answer the flow cannot use fails every order of the batch.
 */
export function updateOrders(deps: FlowDependencies, options: UpdateOrdersSettings): Promise<FlowResult> {
  const { limit } = options;
  const spec = { flow: 'updateOrders', contentType: 'order', requires: ['sendUpdatedOrders'] } as const;
  return runFlow(deps, spec, options, async (run, session) => {
    const scope = session.current;
    const orders = await readFeed(deps.omnitron.listOrdersAwaitingUpdate({ limit }), limit);
    run.fetched(orders.length);
    if (orders.length === 0) return;
    await scope.tracker.commit(orders.map((order) => batchObject('order', order, null)));
    const toSend = await ordersToSend(deps.omnitron, orders);
    run.throwIfAborted();

    let answer: SendUpdatedOrdersAnswer;
    try {
      answer = await deps.channel.sendUpdatedOrders({
        ...scope.context,
        orders: toSend,
        isSync: options.isSync,
      });
    } catch (error) {
      // The adapter's failure fails the run (it throws); only an unusable answer fails the orders one by one.
      if (!(error instanceof InvalidPayloadError)) throw error;
      return finishWithResults(run, scope, 'SendUpdatedOrders', toSend, error);
    }
    await scope.forward('SendUpdatedOrders', 'answer', answer.reports);
    if (answer.status === 'done')
      return finishWithResults(run, scope, 'SendUpdatedOrders', toSend, answer.results);

    await scope.tracker.sentToRemote(answer.remoteBatchId);
    for (const { order, remoteId } of toSend)
      await scope.done('SendUpdatedOrders', {
        key: order.number,
        remoteId,
        status: 'sent',
        omnitronId: order.id,
      });
  });
}
