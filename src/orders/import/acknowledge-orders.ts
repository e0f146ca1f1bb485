import { UnexpectedError } from '../../errors/run-errors.js';
import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { FlowRun } from '../run/flow-run.js';

/** How many orders one `acknowledgeOrders` call carries. */
const ACKNOWLEDGE_CHUNK = 100;

/**
 * Acknowledges confirmed orders on the marketplace. A failure here loses nothing: the orders are in
 * Omnitron, the marketplace offers them again, and the next run finds them already present.
 */
export async function acknowledgeOrders(
  run: FlowRun,
  scope: BatchScope,
  orders: AcknowledgedOrder[],
): Promise<void> {
  for (let start = 0; start < orders.length; start += ACKNOWLEDGE_CHUNK) {
    const chunk = orders.slice(start, start + ACKNOWLEDGE_CHUNK);
    try {
      await run.deps.channel.acknowledgeOrders({ ...scope.context, orders: chunk });
      run.acknowledged(chunk.length);
    } catch (thrown) {
      const error = UnexpectedError.wrap(thrown, run.deps.redactor);
      const message = run.deps.redactor.redactText(error.message);
      run.logger.warn(
        { flow: run.flow, orders: chunk.length, error: message },
        'acknowledge failed; the orders will be offered again',
      );
      await scope.reporter.failure('AcknowledgeOrders', `${start}-${start + chunk.length - 1}`, error);
    }
  }
}
