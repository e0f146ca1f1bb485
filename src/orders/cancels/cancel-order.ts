import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { CancelOrder, OrderCancelRequest } from '../../dto/cancellation.js';
import { OrderStatus } from '../../dto/order-status.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import type { ItemOutcome } from '../flow-result.js';
import { batchObject, exactlyOne, objectIdsByRemoteId, UNKNOWN_VERSION } from '../mappings.js';
import { omnitronReason } from '../reasons.js';
import type { FlowRun } from '../run/flow-run.js';

/** One cancellation applied (or found applied), with the batch object of its order. */
export interface CancelledOrder {
  outcome: Omit<ItemOutcome, 'batchRequestId'>;
  /**
   * The order's batch object, or `null` when nothing was cancelled now: the order's version is then not one
   * this flow made, and recording it would mark the merchant's later changes as known to the marketplace.
   */
  object: BatchRequestObject | null;
}

/**
 * Cancels, in Omnitron, the items of one marketplace cancellation. Idempotent: items already cancelled are
 * not cancelled again, and an order with nothing left to cancel is `already_present`. `cancel.order` is
 * the marketplace id of the order (the one it was imported under), and `cancelItems` the marketplace ids
 * of its lines; each line's every Omnitron unit is cancelled.
 */
export async function cancelOrder(run: FlowRun, cancel: CancelOrder): Promise<CancelledOrder> {
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
  if (pending.length > 0) {
    const reasons: Record<number, number> = {};
    for (const id of pending) if (request.reasons[id] !== undefined) reasons[id] = request.reasons[id];
    await omnitron.cancelOrder(orderId, { ...request, cancelItems: pending, reasons });
  }
  const status = pending.length > 0 ? 'created' : 'already_present';
  // Read again: the batch object's version is the order's `modified_date` after the cancel (Omnitron's
  // reference: a batch object's version is its object's `modified_date`). The outcome is named by the
  // order's number, as every order's is.
  const [order] = await omnitron.getOrders([orderId]);
  if (!order) {
    // The cancel was applied (or found applied); only the read-back came back empty. Name the outcome by the
    // marketplace id, and record `UNKNOWN_VERSION`: the update flow then offers the order's current state to the
    // marketplace, which loses nothing.
    run.logger.warn(
      { flow: run.flow, order: orderId },
      'the order could not be read back after its cancel; it is recorded with an unknown version',
    );
    const object = {
      id: orderId,
      contentType: 'order',
      remoteId: cancel.order,
      failedReasonType: null,
      versionDate: UNKNOWN_VERSION,
    } as const;
    return {
      outcome: { key: cancel.order, status, omnitronId: orderId },
      object: pending.length > 0 ? object : null,
    };
  }
  return {
    outcome: { key: order.number, status, omnitronId: orderId },
    // Nothing cancelled now: the order's version is not one this flow made (see `CancelledOrder.object`).
    object: pending.length > 0 ? batchObject('order', order, cancel.order) : null,
  };
}
