import type { BatchRequestObject } from '../../dto/batch-request.js';
import { ItemAcknowledger } from '../common/acknowledge-items.js';
import type { StreamSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { readChunks } from '../run/read-chunks.js';
import type { FlowDependencies } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import { workPerKey } from '../run/work-per-key.js';
import { LINE_CHUNK, LineUnits, updateOrderItem } from './update-order-item.js';

/**
 * `fetchAndUpdateOrderItems`: reads order-line changes from the marketplace (`getUpdatedOrderItems`) and
 * applies each to the line's Omnitron units ({@link updateOrderItem}), a chunk of {@link LINE_CHUNK} at a
 * time: the chunk's units are read together ({@link LineUnits}), its changes applied `concurrency` lines at
 * once (changes of one line one after another), and outcomes reported in input order, the same at any
 * concurrency. The units are committed to the batch in one go just before it ends `done` (a batch gets its
 * content type, `orderitem`, on commit only); then the adapter hears what became of each change
 * (`acknowledgeOrderItemUpdates`, when it implements it).
 */
export function fetchAndUpdateOrderItems(
  deps: FlowDependencies,
  options: StreamSettings,
): Promise<FlowResult> {
  const spec = {
    flow: 'fetchAndUpdateOrderItems',
    contentType: 'orderitem',
    requires: ['getUpdatedOrderItems'],
  } as const;
  const { concurrency } = options;
  return runFlow(deps, spec, options, async (context, ledger, session) => {
    const scope = session.current;
    const acknowledger = new ItemAcknowledger(context, 'acknowledgeOrderItemUpdates');
    const record = (object: BatchRequestObject) => scope.tracker.record([object]);
    for await (const chunk of readChunks(context.channel.updatedOrderItems(scope.context), LINE_CHUNK)) {
      ledger.fetched(chunk.length);
      const lookup = await LineUnits.of(
        context,
        chunk.flatMap((item) => (item.ok ? [item.data.remoteId] : [])),
      );
      const { worked: updates, stopped } = await workPerKey(
        context,
        chunk,
        'UpdateOrderItem',
        (update) => update.remoteId,
        (update, key) => updateOrderItem(context, update, key, record, lookup),
        concurrency,
      );
      for (const update of updates) {
        await scope.forward('GetUpdatedOrderItems', update.key, update.reports);
        if (!update.ok) {
          await scope.failed(update.invalid ? 'GetUpdatedOrderItems' : 'UpdateOrderItem', update);
          acknowledger.failed(update);
          continue;
        }
        const { first } = update.value;
        const outcome = { ...update.value.outcome, remoteId: update.remoteId };
        acknowledger.applied(outcome);
        if (outcome.status !== 'updated') {
          await scope.succeeded('UpdateOrderItem', outcome);
          continue;
        }
        await scope.succeeded('UpdateOrderItem', outcome, 'order item updated', {
          contentType: 'orderitem',
          objectId: first.id,
          ...(first.versionDate ? { modifiedDate: first.versionDate } : {}),
        });
      }
      // The items finished before the run stopped are recorded above, as one at a time would have.
      if (stopped !== undefined) throw stopped;
    }
    await acknowledger.send(await session.finish());
  });
}
