import type { BatchRequestObject } from '../dto/batch-request.js';
import { CancelOrder, type OrderCancelRequest } from '../dto/cancellation.js';
import { OrderStatus } from '../dto/order.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import type { ChannelCallContext, ChannelItem } from '../integrations/channel-integration.js';
import { forEachChannelItem } from './channel-stream.js';
import type { FlowOptions } from './flow-options.js';
import type { FlowName, FlowResult, ItemOutcome } from './flow-result.js';
import { type FlowDependencies, type FlowRun, runFlow } from './flow-run.js';
import { batchObject, exactlyOne, objectIdsByRemoteId } from './mappings.js';
import { omnitronReason } from './reasons.js';

/**
 * Cancels, in Omnitron, orders the marketplace cancelled. Idempotent: items already cancelled are not
 * cancelled again, and an order with nothing left to cancel is `already_present`. Every order it touched is
 * recorded with its `modified_date` after the cancel as its version, and committed in one go just before
 * the batch ends `done` (a batch gets its content type, `order`, on commit only).
 */
export function cancelOrders(
  deps: FlowDependencies,
  flow: Extract<FlowName, 'fetchAndCreateCancel' | 'createCancel'>,
  open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  options: FlowOptions,
): Promise<FlowResult> {
  return runFlow(
    deps,
    { flow, contentType: 'order', requires: flow === 'fetchAndCreateCancel' ? ['getCancelledOrders'] : [] },
    options,
    (run, session) =>
      forEachChannelItem(
        run,
        session,
        {
          operation: 'getCancelledOrders',
          step: 'GetCancelledOrders',
          subject: 'order cancellation',
          schema: CancelOrder,
          keyOf: (raw) => raw.order,
        },
        open,
        async (cancel, key) => {
          const scope = session.current;
          let object: BatchRequestObject | undefined;
          const outcome = await scope.settle('CreateCancel', key, async () => {
            const cancelled = await cancelOrder(run, cancel, key);
            object = cancelled.object;
            return { ...cancelled.outcome, batchRequestId: scope.tracker.batch.id };
          });
          if (object) {
            // Committed with the others just before `done` (see BatchRequestTracker.done).
            scope.tracker.record([object]);
            await scope.reporter.success('CreateCancel', key, `order ${object.id} ${outcome.status}`, {
              contentType: 'order',
              objectId: object.id,
              ...(object.versionDate ? { modifiedDate: object.versionDate } : {}),
            });
          }
          run.record(outcome);
        },
      ),
  );
}

async function cancelOrder(
  run: FlowRun,
  cancel: CancelOrder,
  key: string,
): Promise<{ outcome: ItemOutcome; object: BatchRequestObject }> {
  const omnitron = run.deps.omnitron;
  const orderId = exactlyOne(
    'order',
    cancel.order,
    (await objectIdsByRemoteId(omnitron, 'order', [cancel.order])).get(cancel.order),
  );
  const linked = await objectIdsByRemoteId(omnitron, 'orderitem', cancel.cancelItems);
  const items = await omnitron.listOrderItems(orderId);
  const ofThisOrder = new Set(items.map((item) => item.id));

  const request: OrderCancelRequest = {
    cancelItems: [],
    reasons: {},
    isCargoRefund: cancel.isCargoRefund,
    forcedRefundAmount: cancel.forcedRefundAmount,
    refundInvoiceNumber: cancel.refundInvoiceNumber,
  };
  for (const remoteItemId of new Set(cancel.cancelItems)) {
    const ids = (linked.get(remoteItemId) ?? []).filter((id) => ofThisOrder.has(id));
    if (ids.length === 0) throw new MappingNotFoundError('orderitem', { remoteId: remoteItemId });
    const code = cancel.reasons[remoteItemId];
    const reason = code === undefined ? run.conf.cancellationReasonId : omnitronReason(run.conf, code);
    for (const id of ids) {
      request.cancelItems.push(id);
      if (reason !== null) request.reasons[id] = reason;
    }
  }

  const cancelled = new Set(
    items.filter((item) => item.status === OrderStatus.cancelled).map((item) => item.id),
  );
  const pending = request.cancelItems.filter((id) => !cancelled.has(id));
  if (pending.length === 0)
    return {
      outcome: { key, status: 'already_present', omnitronId: orderId },
      object: await orderObject(run, orderId, cancel.order),
    };
  const reasons: Record<number, number> = {};
  for (const id of pending) if (request.reasons[id] !== undefined) reasons[id] = request.reasons[id];
  await omnitron.cancelOrder(orderId, { ...request, cancelItems: pending, reasons });
  return {
    outcome: { key, status: 'created', omnitronId: orderId },
    object: await orderObject(run, orderId, cancel.order),
  };
}

/**
 * The batch object of a cancelled order. Its `version_date` is the order's `modified_date` as Omnitron has
 * it after the cancel (Omnitron's reference: a batch object's version is its object's `modified_date`), so
 * the order is read again rather than sent with a `null` version.
 */
async function orderObject(run: FlowRun, orderId: number, remoteId: string): Promise<BatchRequestObject> {
  const [order] = await run.deps.omnitron.getOrders([orderId]);
  if (!order) throw new MappingNotFoundError('order', { objectId: orderId });
  return batchObject('order', order, remoteId);
}
