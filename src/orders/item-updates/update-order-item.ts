import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { OrderItem } from '../../dto/order.js';
import type { OrderItemPatch, OrderItemUpdate } from '../../dto/order-item-update.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import { lineCarrier } from '../common/line-carriers.js';
import { batchObject, objectIdsByRemoteId } from '../common/mappings.js';
import { ORDER_SIZES } from '../defaults.js';
import type { ItemOutcome } from '../flow-result.js';
import type { RunContext } from '../run/run-context.js';

/** One order line updated (or found up to date), with the batch object of its first unit. */
export interface UpdatedOrderItem {
  outcome: Omit<ItemOutcome, 'batchRequestId'>;
  first: BatchRequestObject;
}

/**
 * Applies one order-line change from the marketplace (status, invoice, tracking, the line's own carrier and
 * shipment code) to every Omnitron unit
 * of the line (`update.remoteId` is the line's marketplace id), its ids and units taken from the chunk's
 * `lookup` when there is one. Only differing fields are sent; a line with
 * nothing new is `unchanged`. Each changed unit's batch object goes to `saved` as soon as Omnitron has it, so
 * units saved before a later unit failed are recorded too: Omnitron changed them. A unit with nothing new is
 * not recorded: its version is not one this flow made, and recording it would mark a change the merchant
 * made in Omnitron as already known to the marketplace.
 */
export async function updateOrderItem(
  context: RunContext,
  update: OrderItemUpdate,
  key: string,
  saved: (object: BatchRequestObject) => void,
  lookup: LineUnits | null = null,
): Promise<UpdatedOrderItem> {
  const { omnitron } = context;
  const ids = lookup
    ? lookup.unitIds(update.remoteId)
    : (await objectIdsByRemoteId(omnitron, 'orderitem', [update.remoteId])).get(update.remoteId);
  if (!ids || ids.length === 0) throw new MappingNotFoundError('orderitem', { remoteId: update.remoteId });
  // A line's own carrier is named by a marketplace cargo code, as on import: mapped once for all its units.
  const carrier =
    typeof update.cargoCompany === 'string'
      ? await lineCarrier(omnitron, update.cargoCompany, update.remoteId)
      : update.cargoCompany;
  let changed = false;
  let first: BatchRequestObject | undefined;
  try {
    for (const id of ids) {
      const item = lookup?.unit(id) ?? (await omnitron.getOrderItem(id));
      const patch = orderItemPatch(item, update, carrier);
      const stored = Object.keys(patch).length > 0 ? await omnitron.updateOrderItem(id, patch) : item;
      lookup?.setUnit(stored);
      const object = batchObject('orderitem', stored, update.remoteId);
      first ??= object;
      if (stored === item) continue;
      changed = true;
      saved(object);
    }
  } catch (error) {
    // A change may have landed: a later change of this line reads its units afresh.
    for (const id of ids) lookup?.forget(id);
    throw error;
  }
  return {
    outcome: { key, status: changed ? 'updated' : 'unchanged', omnitronId: ids[0] as number },
    first: first as BatchRequestObject,
  };
}

/** Line changes looked up together: one request for their lines' units, one for the units themselves. */
export const LINE_CHUNK = ORDER_SIZES.lineLookup;

/**
 * The Omnitron units of a chunk of line changes, asked once for the chunk rather than once per change and
 * unit. The units are kept current as the chunk's changes save them (changes of one line are worked on one
 * after another), and dropped after a failure, so the next change of that line reads them afresh.
 */
export class LineUnits {
  readonly #ids: Map<string, number[]>;
  readonly #units: Map<number, OrderItem>;

  private constructor(ids: Map<string, number[]>, units: Map<number, OrderItem>) {
    this.#ids = ids;
    this.#units = units;
  }

  /**
   * Looks a chunk's lines up; on any failure returns `null`, and each change then looks its line up alone
   * (the failure, if it lasts, becomes that change's own).
   */
  static async of(context: RunContext, remoteIds: readonly string[]): Promise<LineUnits | null> {
    if (remoteIds.length === 0) return null;
    const { omnitron } = context;
    try {
      const ids = await objectIdsByRemoteId(omnitron, 'orderitem', remoteIds);
      const units = await omnitron.getOrderItems([...ids.values()].flat());
      return new LineUnits(ids, units);
    } catch (error) {
      context.logger.warn(
        { flow: context.flow, lines: remoteIds.length, error: context.redactor.redactText(String(error)) },
        'looking up a chunk of order lines failed; each is looked up on its own',
      );
      return null;
    }
  }

  /** The Omnitron ids of a line's units. */
  unitIds(remoteId: string): number[] | undefined {
    return this.#ids.get(remoteId);
  }

  /** A unit as it stands, or `undefined` when it must be read. */
  unit(id: number): OrderItem | undefined {
    return this.#units.get(id);
  }

  /** Keeps a unit as Omnitron now holds it. */
  setUnit(item: OrderItem): void {
    this.#units.set(item.id, item);
  }

  /** Forgets a unit, so it is read afresh. */
  forget(id: number): void {
    this.#units.delete(id);
  }
}

/**
 * The fields to change on an item: those the marketplace sent (`null` clears) that differ. `extraField`
 * is merged, so the marketplace id kept in it survives. `carrier` is the line's own carrier already mapped
 * to Omnitron's `shipping_company` (`undefined` leaves it). The shipment code follows the tracking number
 * when the marketplace sent no shipment code of its own, as on import.
 */
export function orderItemPatch(
  item: OrderItem,
  update: OrderItemUpdate,
  carrier?: string | null,
): OrderItemPatch {
  const patch: OrderItemPatch = {};
  if (update.status !== undefined && update.status !== item.status) patch.status = update.status;
  if (update.invoiceNumber !== undefined && update.invoiceNumber !== item.invoiceNumber)
    patch.invoiceNumber = update.invoiceNumber;
  if (update.trackingNumber !== undefined && update.trackingNumber !== item.trackingNumber)
    patch.trackingNumber = update.trackingNumber;
  if (update.invoiceDate !== undefined && !sameInstant(update.invoiceDate, item.invoiceDate))
    patch.invoiceDate = update.invoiceDate;
  if (carrier !== undefined && carrier !== (item.shippingCompany ?? null)) patch.shippingCompany = carrier;
  const shipmentCode = update.shipmentCode !== undefined ? update.shipmentCode : update.trackingNumber;
  if (shipmentCode !== undefined && shipmentCode !== (item.shipmentCode ?? null))
    patch.shipmentCode = shipmentCode;
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
