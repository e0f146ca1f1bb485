import type { CancelOrder } from '../../dto/cancellation.js';
import type { ChannelCallContext } from '../../integrations/channel-integration.js';
import type { Incoming } from '../channel-port.js';
import { ItemAcknowledger } from '../common/acknowledge-items.js';
import type { FlowName } from '../flow-names.js';
import type { StreamSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { readChunks } from '../run/read-chunks.js';
import type { FlowDependencies } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import { workPerKey } from '../run/work-per-key.js';
import { CANCEL_CHUNK, CancelLookup } from './cancel-lookup.js';
import { cancelledOrder, cancelOrder, readBackOrders } from './cancel-order.js';

/** `fetchAndCreateCancel`: reads cancellations from the marketplace and applies them (see {@link cancelOrders}). */
export function fetchAndCreateCancel(deps: FlowDependencies, options: StreamSettings): Promise<FlowResult> {
  return cancelOrders(deps, 'fetchAndCreateCancel', (call) => deps.channel.cancelledOrders(call), options);
}

/**
 * Cancels, in Omnitron, orders the marketplace cancelled, a chunk of {@link CANCEL_CHUNK} at a time: the
 * chunk's orders, lines and items are looked up together ({@link CancelLookup}), its cancellations applied
 * `concurrency` orders at once, one after another within an order ({@link cancelOrder}), and the orders
 * they touched read back together. Outcomes are then reported in input order, so they are the same at
 * any concurrency. Every order it changed is recorded with its `modified_date` after the chunk as its
 * version, and committed in one go just before the batch ends `done` (a batch gets its content type,
 * `order`, on commit only). Then the adapter hears what became of each cancellation
 * (`acknowledgeCancels`, when it implements it).
 */
export function cancelOrders(
  deps: FlowDependencies,
  flow: Extract<FlowName, 'fetchAndCreateCancel' | 'createCancel'>,
  read: (context: ChannelCallContext) => AsyncIterable<Incoming<CancelOrder>>,
  options: StreamSettings,
): Promise<FlowResult> {
  const requires = flow === 'fetchAndCreateCancel' ? (['getCancelledOrders'] as const) : [];
  const { concurrency } = options;
  return runFlow(
    deps,
    { flow, contentType: 'order', requires },
    options,
    async (context, ledger, session) => {
      const scope = session.current;
      const acknowledger = new ItemAcknowledger(context, 'acknowledgeCancels');
      for await (const chunk of readChunks(read(scope.context), CANCEL_CHUNK)) {
        ledger.fetched(chunk.length);
        const lookup = await CancelLookup.of(
          context,
          chunk.flatMap((item) => (item.ok ? [item.data] : [])),
        );
        const { worked: cancels, stopped } = await workPerKey(
          context,
          chunk,
          'CreateCancel',
          (cancel) => lookup?.orderKey(cancel) ?? cancel.order,
          (cancel) => cancelOrder(context, cancel, lookup),
          concurrency,
        );
        const orders = await readBackOrders(
          context,
          cancels.flatMap((cancel) => (cancel.ok ? [cancel.value.orderId] : [])),
        );
        for (const cancel of cancels) {
          await scope.forward('GetCancelledOrders', cancel.key, cancel.reports);
          if (!cancel.ok) {
            await scope.failed(cancel.invalid ? 'GetCancelledOrders' : 'CreateCancel', cancel);
            acknowledger.failed(cancel);
            continue;
          }
          const { outcome, object } = cancelledOrder(
            context,
            cancel.data,
            cancel.value,
            orders.get(cancel.value.orderId),
          );
          const named = { ...outcome, remoteId: cancel.remoteId };
          const subject = { contentType: 'order', objectId: outcome.omnitronId as number } as const;
          const message = `order ${subject.objectId} ${outcome.status}`;
          acknowledger.applied(named);
          if (!object) {
            await scope.succeeded('CreateCancel', named, message, subject);
            continue;
          }
          // Committed with the others just before `done` (see BatchRequestTracker.done).
          scope.tracker.record([object]);
          const version = object.versionDate ? { modifiedDate: object.versionDate } : {};
          await scope.succeeded('CreateCancel', named, message, { ...subject, ...version });
        }
        // The items finished before the run stopped are recorded above, as one at a time would have.
        if (stopped !== undefined) throw stopped;
      }
      await acknowledger.send(await session.finish());
    },
  );
}
