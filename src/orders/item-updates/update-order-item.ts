import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { OrderItem } from '../../dto/order.js';
import type { OrderItemPatch, OrderItemUpdate } from '../../dto/order-item-update.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import type { ItemOutcome } from '../flow-result.js';
import { batchObject, objectIdsByRemoteId } from '../mappings.js';
import type { FlowRun } from '../run/flow-run.js';

/** One order line updated (or found up to date), with the batch object of its first unit. */
export interface UpdatedOrderItem {
  outcome: Omit<ItemOutcome, 'batchRequestId'>;
  first: BatchRequestObject;
}

/**
 * Applies one order-line change from the marketplace (status, invoice, tracking) to every Omnitron unit
 * of the line (`update.remoteId` is the line's marketplace id). Only differing fields are sent; a line with
 * nothing new is `unchanged`. Each changed unit's batch object goes to `saved` as soon as Omnitron has it, so
 * units saved before a later unit failed are recorded too: Omnitron changed them. A unit with nothing new is
 * not recorded: its version is not one this flow made, and recording it would mark a change the merchant
 * made in Omnitron as already known to the marketplace.
 */
export async function updateOrderItem(
  run: FlowRun,
  update: OrderItemUpdate,
  key: string,
  saved: (object: BatchRequestObject) => void,
): Promise<UpdatedOrderItem> {
  const { omnitron } = run.deps;
  const ids = (await objectIdsByRemoteId(omnitron, 'orderitem', [update.remoteId])).get(update.remoteId);
  if (!ids || ids.length === 0) throw new MappingNotFoundError('orderitem', { remoteId: update.remoteId });
  let changed = false;
  let first: BatchRequestObject | undefined;
  for (const id of ids) {
    const item = await omnitron.getOrderItem(id);
    const patch = orderItemPatch(item, update);
    const stored = Object.keys(patch).length > 0 ? await omnitron.updateOrderItem(id, patch) : item;
    const object = batchObject('orderitem', stored, update.remoteId);
    first ??= object;
    if (stored === item) continue;
    changed = true;
    saved(object);
  }
  return {
    outcome: { key, status: changed ? 'updated' : 'unchanged', omnitronId: ids[0] as number },
    first: first as BatchRequestObject,
  };
}

/**
 * The fields to change on an item: those the marketplace sent (`null` clears) that differ. `extraField`
 * is merged, so the marketplace id kept in it survives.
 */
export function orderItemPatch(item: OrderItem, update: OrderItemUpdate): OrderItemPatch {
  const patch: OrderItemPatch = {};
  if (update.status !== undefined && update.status !== item.status) patch.status = update.status;
  if (update.invoiceNumber !== undefined && update.invoiceNumber !== item.invoiceNumber)
    patch.invoiceNumber = update.invoiceNumber;
  if (update.trackingNumber !== undefined && update.trackingNumber !== item.trackingNumber)
    patch.trackingNumber = update.trackingNumber;
  if (update.invoiceDate !== undefined && !sameInstant(update.invoiceDate, item.invoiceDate))
    patch.invoiceDate = update.invoiceDate;
  if (update.extraField !== undefined) {
    const merged = { ...item.extraField, ...update.extraField };
    if (JSON.stringify(merged) !== JSON.stringify(item.extraField)) patch.extraField = merged;
  }
  return patch;
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}
