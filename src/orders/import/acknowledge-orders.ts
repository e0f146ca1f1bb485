import { UnexpectedError } from '../../errors/run-errors.js';
import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import { ORDER_SIZES } from '../defaults.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';

/** How many orders one `acknowledgeOrders` call carries. */
const ACKNOWLEDGE_CHUNK = ORDER_SIZES.acknowledgement;

/**
 * Acknowledges confirmed orders on the marketplace. A failure here loses nothing: the orders are in
 * Omnitron, the marketplace offers them again, and the next run finds them already present. Returns how
 * many the marketplace took.
 */
export async function acknowledgeOrders(
  context: RunContext,
  scope: BatchScope,
  orders: AcknowledgedOrder[],
): Promise<number> {
  let acknowledged = 0;
  for (let start = 0; start < orders.length; start += ACKNOWLEDGE_CHUNK) {
    const chunk = orders.slice(start, start + ACKNOWLEDGE_CHUNK);
    try {
      await context.channel.acknowledgeOrders({ ...scope.context, orders: chunk });
      acknowledged += chunk.length;
    } catch (thrown) {
      const error = UnexpectedError.wrap(thrown, context.redactor);
      const message = context.redactor.redactText(error.message);
      context.logger.warn(
        { flow: context.flow, orders: chunk.length, error: message },
        'acknowledge failed; the orders will be offered again',
      );
      await scope.reporter.failure('AcknowledgeOrders', `${start}-${start + chunk.length - 1}`, error);
    }
  }
  return acknowledged;
}
