import { InvalidPayloadError } from '../../errors/channel-errors.js';
import type { OrderToSend } from '../../integrations/channel-integration.js';
import type { SendUpdatedOrdersAnswer } from '../channel-port.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';
import { finishWithResults } from './order-results.js';

/**
 * Hands orders already committed to `scope`'s batch request to the marketplace (`sendUpdatedOrders`). A
 * synchronous answer finishes the batch now (see {@link finishWithResults}); an asynchronous one (a
 * marketplace job id) moves it to `sent_to_remote` for `getOrderBatchRequests` to finish. An answer the
 * flow cannot use fails every order of the batch; a failure of the adapter itself is thrown.
 */
export async function sendOrders(
  context: RunContext,
  scope: BatchScope,
  toSend: OrderToSend[],
  isSync: boolean,
): Promise<void> {
  let answer: SendUpdatedOrdersAnswer;
  try {
    answer = await context.channel.sendUpdatedOrders({ ...scope.context, orders: toSend, isSync });
  } catch (error) {
    // The adapter's failure fails the run (it throws); only an unusable answer fails the orders one by one.
    if (!(error instanceof InvalidPayloadError)) throw error;
    return finishWithResults(context, scope, 'SendUpdatedOrders', toSend, error);
  }
  await scope.forward('SendUpdatedOrders', 'answer', answer.reports);
  if (answer.status === 'done')
    return finishWithResults(context, scope, 'SendUpdatedOrders', toSend, answer.results);

  await scope.tracker.sentToRemote(answer.remoteBatchId);
  for (const { order, remoteId } of toSend)
    await scope.succeeded('SendUpdatedOrders', {
      key: order.number,
      remoteId,
      status: 'sent',
      omnitronId: order.id,
    });
}
