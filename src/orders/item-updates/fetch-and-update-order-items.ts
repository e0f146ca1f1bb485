import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { RunSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { workInOrder } from '../run/work-in-order.js';
import { updateOrderItem } from './update-order-item.js';

/**
 * `fetchAndUpdateOrderItems`: reads order-line changes from the marketplace (`getUpdatedOrderItems`) and
 * applies each to the line's Omnitron units, one line at a time ({@link updateOrderItem}). The units are
 * committed to the batch in one go just before it ends `done` (a batch gets its content type,
 * `orderitem`, on commit only).
 */
export function fetchAndUpdateOrderItems(deps: FlowDependencies, options: RunSettings): Promise<FlowResult> {
  const spec = {
    flow: 'fetchAndUpdateOrderItems',
    contentType: 'orderitem',
    requires: ['getUpdatedOrderItems'],
  } as const;
  return runFlow(deps, spec, options, async (run, session) => {
    const scope = session.current;
    const record = (object: BatchRequestObject) => scope.tracker.record([object]);
    const updates = workInOrder(
      run,
      deps.channel.updatedOrderItems(scope.context),
      'UpdateOrderItem',
      (update, key) => updateOrderItem(run, update, key, record),
    );
    for await (const update of updates) {
      await scope.forward('GetUpdatedOrderItems', update.key, update.reports);
      if (!update.ok) {
        await scope.failed(update.invalid ? 'GetUpdatedOrderItems' : 'UpdateOrderItem', update);
        continue;
      }
      const { first } = update.value;
      const outcome = { ...update.value.outcome, remoteId: update.remoteId };
      if (outcome.status !== 'updated') {
        await scope.done('UpdateOrderItem', outcome);
        continue;
      }
      await scope.done('UpdateOrderItem', outcome, 'order item updated', {
        contentType: 'orderitem',
        objectId: first.id,
        ...(first.versionDate ? { modifiedDate: first.versionDate } : {}),
      });
    }
  });
}
