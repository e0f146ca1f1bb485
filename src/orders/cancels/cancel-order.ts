import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { CancelOrder, OrderCancelRequest } from '../../dto/cancellation.js';
import type { Order, OrderItem } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';
import { InvalidPayloadError } from '../../errors/channel-errors.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import { batchObject, exactlyOne, UNKNOWN_VERSION } from '../common/mappings.js';
import { omnitronReason } from '../common/reasons.js';
import { SETTLED_UNIT_STATUSES } from '../common/settled-units.js';
import type { ItemOutcome } from '../flow-result.js';
import { attempt } from '../run/attempt.js';
import type { RunContext } from '../run/run-context.js';
import { CancelLookup } from './cancel-lookup.js';

/**
 * The key of a unit's `extra_field` that names the marketplace cancellation a partial cancel took the unit
 * for: set before the unit is cancelled, so a cancellation listed again (even after a crash between the
 * two) finds its units rather than taking more.
 */
export const CANCEL_MARK = 'channel_app_cancel';

/** One cancellation applied (or found applied) in Omnitron, before its order is read back. */
export interface AppliedCancel {
  /** Omnitron's id of the order. */
  orderId: number;
  /** `created` when units were cancelled now, `already_present` when there was nothing left to cancel. */
  status: 'created' | 'already_present';
}

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
 * of its lines; each line's every Omnitron unit is cancelled, or, for a line in `cancel.quantities`, that
 * many units (see {@link partialUnits}). Ids and items come from the chunk's `lookup` when there is one
 * (the items are kept current there), else are looked up for this cancellation alone.
 */
export async function cancelOrder(
  context: RunContext,
  cancel: CancelOrder,
  lookup: CancelLookup | null,
): Promise<AppliedCancel> {
  const known = lookup ?? (await CancelLookup.read(context, [cancel]));
  const orderId = exactlyOne('order', cancel.order, known.orderIds(cancel.order));
  const items = known.items(orderId) ?? (await context.omnitron.listOrderItems(orderId));
  try {
    const now = await applyCancel(context, cancel, orderId, items, known);
    known.setItems(orderId, now.items);
    return { orderId, status: now.cancelled ? 'created' : 'already_present' };
  } catch (error) {
    // A change may have landed: the next cancellation of this order reads its items afresh.
    known.setItems(orderId, undefined);
    throw error;
  }
}

/** Marks and cancels what a cancellation asks of an order's `items`; returns the items as they now stand. */
async function applyCancel(
  context: RunContext,
  cancel: CancelOrder,
  orderId: number,
  items: readonly OrderItem[],
  known: CancelLookup,
): Promise<{ items: OrderItem[]; cancelled: boolean }> {
  const omnitron = context.omnitron;
  const byId = new Map(items.map((item) => [item.id, item]));
  const request: OrderCancelRequest = {
    cancelItems: [],
    reasons: {},
    isCargoRefund: cancel.isCargoRefund,
    forcedRefundAmount: cancel.forcedRefundAmount,
    refundInvoiceNumber: cancel.refundInvoiceNumber,
  };
  // Every line is checked before anything is changed: a cancellation refused is refused whole.
  const toMark: OrderItem[] = [];
  for (const remoteItemId of new Set(cancel.cancelItems)) {
    const ids = (known.lines.get(remoteItemId) ?? []).filter((id) => byId.has(id));
    if (ids.length === 0) throw new MappingNotFoundError('orderitem', { remoteId: remoteItemId });
    const quantity = cancel.quantities?.[remoteItemId];
    const units =
      quantity === undefined
        ? ids
        : partialUnits(
            cancel,
            remoteItemId,
            quantity,
            ids.map((id) => byId.get(id) as OrderItem),
            toMark,
          );
    const code = cancel.reasons[remoteItemId];
    const reason =
      code === undefined ? context.conf.cancellationReasonId : omnitronReason(context.conf, code);
    for (const id of units) {
      request.cancelItems.push(id);
      if (reason !== null) request.reasons[id] = reason;
    }
  }

  for (const unit of toMark) {
    const extraField = { ...unit.extraField, [CANCEL_MARK]: cancel.remoteId };
    byId.set(unit.id, await omnitron.updateOrderItem(unit.id, { extraField }));
  }
  const pending = request.cancelItems.filter((id) => byId.get(id)?.status !== OrderStatus.cancelled);
  if (pending.length > 0) {
    const reasons: Record<number, number> = {};
    for (const id of pending) if (request.reasons[id] !== undefined) reasons[id] = request.reasons[id];
    await omnitron.cancelOrder(orderId, { ...request, cancelItems: pending, reasons });
    for (const id of pending) {
      const item = byId.get(id) as OrderItem;
      byId.set(id, { ...item, status: OrderStatus.cancelled });
    }
  }
  return { items: [...byId.values()], cancelled: pending.length > 0 };
}

/**
 * The units a partial cancel of `quantity` units of a line takes: those already marked with the
 * cancellation's id (a cancellation listed again, or one cut short after marking), then as many more as
 * are missing from the units neither cancelled, refunded nor marked for another cancellation, lowest
 * Omnitron id first; those are added to `toMark`. Too few left is an `InvalidPayloadError`.
 */
function partialUnits(
  cancel: CancelOrder,
  line: string,
  quantity: number,
  units: readonly OrderItem[],
  toMark: OrderItem[],
): number[] {
  const sorted = [...units].sort((a, b) => a.id - b.id);
  const mine = sorted.filter((unit) => unit.extraField[CANCEL_MARK] === cancel.remoteId);
  if (mine.length >= quantity) return mine.slice(0, quantity).map((unit) => unit.id);
  const free = sorted.filter(
    (unit) => unit.extraField[CANCEL_MARK] == null && !SETTLED_UNIT_STATUSES.includes(unit.status),
  );
  const missing = quantity - mine.length;
  if (free.length < missing) {
    const open = mine.length + free.length;
    throw new InvalidPayloadError('channel', 'order cancellation', [
      {
        path: `quantities.${line}`,
        message: `is ${quantity}, but line "${line}" has ${open} unit${open === 1 ? '' : 's'} left to cancel in Omnitron`,
      },
    ]);
  }
  const taken = free.slice(0, missing);
  toMark.push(...taken);
  return [...mine, ...taken].map((unit) => unit.id);
}

/** An order read back after a chunk of cancellations, with the version the marketplace last heard of. */
export interface ReadBackOrder {
  order: Order;
  /** The version its link records as known to the marketplace (`null`: none recorded). */
  knownVersion: string | null;
}

/**
 * Reads back the orders a chunk of cancellations touched, in two requests (the orders, then their links):
 * a batch object's version is its object's `modified_date` (Omnitron's reference), an outcome is named by
 * its order's number, and the link's version says whether the order holds changes the marketplace has not
 * heard of (see {@link cancelledOrder}). A failed read-back leaves the orders out, as if Omnitron had
 * answered without them.
 */
export async function readBackOrders(
  context: RunContext,
  ids: readonly number[],
): Promise<Map<number, ReadBackOrder>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const { omnitron } = context;
  const read = await attempt(context, 'CreateCancel', 'read-back', async () => {
    const orders = await omnitron.getOrders(unique);
    const links = await omnitron.listIntegrationActions({ contentType: 'order', objectIds: unique });
    const known = new Map(links.map((link) => [link.objectId, link.versionDate] as const));
    return orders.map((order) => [order.id, { order, knownVersion: known.get(order.id) ?? null }] as const);
  });
  return new Map('value' in read ? read.value : []);
}

/**
 * The outcome of an applied cancellation, and the batch object of its order when it cancelled something,
 * from its order as read back after the chunk (`undefined` when it could not be read).
 *
 * The order's version after the cancel is recorded as known to the marketplace only when the order holds
 * nothing the marketplace has not heard of: its version is one the marketplace was sent already (a cancel
 * of some lines need not change the order), or the marketplace cancelled the whole order and knows its
 * final state. Otherwise the merchant changed the order since the update flow last sent it (before the
 * cancel, or between the cancel and the read-back), and recording that version would mark the change as
 * sent when it never was: the order is recorded with `UNKNOWN_VERSION`, and the update flow sends its
 * current state once.
 */
export function cancelledOrder(
  context: RunContext,
  cancel: CancelOrder,
  applied: AppliedCancel,
  readBack: ReadBackOrder | undefined,
): CancelledOrder {
  const { orderId, status } = applied;
  const changed = status === 'created';
  if (!readBack) {
    // The cancel was applied (or found applied); only the read-back came back empty. Name the outcome by the
    // marketplace id, and record `UNKNOWN_VERSION`: the update flow then offers the order's current state to the
    // marketplace, which loses nothing.
    context.logger.warn(
      { flow: context.flow, order: orderId },
      'the order could not be read back after its cancel; it is recorded with an unknown version',
    );
    const object = {
      id: orderId,
      contentType: 'order',
      remoteId: cancel.order,
      failedReasonType: null,
      versionDate: UNKNOWN_VERSION,
    } as const;
    return { outcome: { key: cancel.order, status, omnitronId: orderId }, object: changed ? object : null };
  }
  const { order, knownVersion } = readBack;
  const object = batchObject('order', order, cancel.order);
  const nothingNew = knownVersion !== null && Date.parse(order.modifiedDate) <= Date.parse(knownVersion);
  const known = nothingNew || order.status === OrderStatus.cancelled;
  return {
    outcome: { key: order.number, status, omnitronId: orderId },
    // Nothing cancelled now: the order's version is not one this flow made (see `CancelledOrder.object`).
    object: changed ? (known ? object : { ...object, versionDate: UNKNOWN_VERSION }) : null,
  };
}
