import type { CancelOrder } from '../../dto/cancellation.js';
import type { ChannelCallContext } from '../../integrations/channel-integration.js';
import type { Incoming } from '../channel-port.js';
import type { FlowName } from '../flow-names.js';
import type { RunSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { workInOrder } from '../run/work-in-order.js';
import { cancelOrder } from './cancel-order.js';

/** `fetchAndCreateCancel`: reads cancellations from the marketplace and applies them (see {@link cancelOrders}). */
export function fetchAndCreateCancel(deps: FlowDependencies, options: RunSettings): Promise<FlowResult> {
  return cancelOrders(
    deps,
    'fetchAndCreateCancel',
    (context) => deps.channel.cancelledOrders(context),
    options,
  );
}

/**
 * Cancels, in Omnitron, orders the marketplace cancelled, one at a time ({@link cancelOrder}). Every
 * order it touched is recorded with its `modified_date` after the cancel as its version, and committed in
 * one go just before the batch ends `done` (a batch gets its content type, `order`, on commit only).
 */
export function cancelOrders(
  deps: FlowDependencies,
  flow: Extract<FlowName, 'fetchAndCreateCancel' | 'createCancel'>,
  read: (context: ChannelCallContext) => AsyncIterable<Incoming<CancelOrder>>,
  options: RunSettings,
): Promise<FlowResult> {
  const requires = flow === 'fetchAndCreateCancel' ? (['getCancelledOrders'] as const) : [];
  return runFlow(deps, { flow, contentType: 'order', requires }, options, async (run, session) => {
    const scope = session.current;
    const cancels = workInOrder(run, read(scope.context), 'CreateCancel', (cancel) =>
      cancelOrder(run, cancel),
    );
    for await (const cancel of cancels) {
      await scope.forward('GetCancelledOrders', cancel.key, cancel.reports);
      if (!cancel.ok) {
        await scope.failed(cancel.invalid ? 'GetCancelledOrders' : 'CreateCancel', cancel);
        continue;
      }
      const { outcome, object } = cancel.value;
      const subject = { contentType: 'order', objectId: outcome.omnitronId as number } as const;
      if (!object) {
        await scope.done(
          'CreateCancel',
          { ...outcome, remoteId: cancel.remoteId },
          `order ${subject.objectId} ${outcome.status}`,
          subject,
        );
        continue;
      }
      // Committed with the others just before `done` (see BatchRequestTracker.done).
      scope.tracker.record([object]);
      const version = object.versionDate ? { modifiedDate: object.versionDate } : {};
      await scope.done(
        'CreateCancel',
        { ...outcome, remoteId: cancel.remoteId },
        `order ${object.id} ${outcome.status}`,
        { ...subject, ...version },
      );
    }
  });
}
