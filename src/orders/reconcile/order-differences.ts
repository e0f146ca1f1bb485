import type { ChannelOrder } from '../../dto/channel-order.js';
import type { Order, OrderItem } from '../../dto/order.js';
import { remoteIdOf } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';

/**
 * How an order the marketplace lists differs from the one Omnitron has, each difference as a sentence a
 * merchant can act on, sorted by who can repair it.
 */
export interface OrderDifferences {
  /**
   * Statuses Omnitron moved on (the merchant shipped or cancelled) that the marketplace still shows at an
   * earlier step: it never received them, so sending the order again repairs them.
   */
  marketplaceBehind: string[];
  /**
   * Everything else: other amounts or lines, or statuses the marketplace is ahead on (a cancel or a
   * delivery Omnitron never heard of). The SDK does not guess which side is right there.
   */
  unrepairable: string[];
}

/** Omnitron's codes that mean an item will not ship: a cancel, or one asked for. */
const CANCEL_CODES: ReadonlySet<string> = new Set([OrderStatus.cancelled, OrderStatus.cancellationWaiting]);
const STATUS_NAMES = new Map<string, string>(Object.entries(OrderStatus).map(([name, code]) => [code, name]));

/**
 * Compares an order as the marketplace lists it with Omnitron's order and its units (one per unit of each
 * line, linked to the line by `extra_field.id`). Amount, currency and lines (units per line, unit price)
 * are always compared; statuses only where the marketplace gave one (the order's `status`, a line's
 * `status`).
 */
export function compareOrder(
  listed: ChannelOrder,
  stored: Order,
  units: readonly OrderItem[],
): OrderDifferences {
  const found: OrderDifferences = { marketplaceBehind: [], unrepairable: [] };
  const holder = remoteIdOf(stored);
  if (holder !== null && holder !== listed.remoteId)
    found.unrepairable.push(
      `number: Omnitron's order ${stored.number} belongs to marketplace order ${holder}, not ${listed.remoteId}`,
    );
  if (!sameAmount(listed.amount, stored.amount))
    found.unrepairable.push(`amount: marketplace ${listed.amount}, Omnitron ${stored.amount}`);
  if (listed.currency.toLowerCase() !== stored.currency.toLowerCase())
    found.unrepairable.push(`currency: marketplace ${listed.currency}, Omnitron ${stored.currency}`);
  if (listed.status !== undefined && listed.status !== stored.status)
    sortStatus(found, 'order status', listed.status, stored.status);

  const unitsByLine = new Map<string, OrderItem[]>();
  for (const unit of units) {
    const line = remoteIdOf(unit) ?? '(no line id)';
    unitsByLine.set(line, [...(unitsByLine.get(line) ?? []), unit]);
  }
  for (const line of listed.items) {
    const lineUnits = unitsByLine.get(line.remoteId) ?? [];
    unitsByLine.delete(line.remoteId);
    if (lineUnits.length === 0) {
      found.unrepairable.push(
        `line ${line.remoteId} (${line.quantity} × ${line.product}) is not in Omnitron`,
      );
      continue;
    }
    if (lineUnits.length !== line.quantity)
      found.unrepairable.push(
        `line ${line.remoteId}: quantity ${line.quantity} on the marketplace, ${lineUnits.length} in Omnitron`,
      );
    const otherPrice = lineUnits.find((unit) => !sameAmount(unit.price, line.price));
    if (otherPrice)
      found.unrepairable.push(
        `line ${line.remoteId}: unit price marketplace ${line.price}, Omnitron ${otherPrice.price}`,
      );
    const lineStatus = line.status;
    if (lineStatus === undefined) continue;
    // Units of one line may be at different steps (one cancelled of two): each differing status counts.
    const byStatus = new Map<string, number>();
    for (const unit of lineUnits)
      if (unit.status !== lineStatus) byStatus.set(unit.status, (byStatus.get(unit.status) ?? 0) + 1);
    for (const [status, count] of byStatus)
      sortStatus(found, `line ${line.remoteId} (${count} of ${lineUnits.length} units)`, lineStatus, status);
  }
  for (const [line, extra] of unitsByLine)
    found.unrepairable.push(
      `line ${line}: ${extra.length} unit(s) in Omnitron that the marketplace does not list`,
    );
  return found;
}

/** Files a status difference under who can repair it. */
function sortStatus(found: OrderDifferences, what: string, marketplace: string, omnitron: string): void {
  const sentence = `${what}: marketplace ${label(marketplace)}, Omnitron ${label(omnitron)}`;
  if (marketplaceIsBehind(marketplace, omnitron)) found.marketplaceBehind.push(sentence);
  else
    found.unrepairable.push(
      `${sentence} (Omnitron missed the marketplace's change: run the cancel or line-update flow, or change it in Omnitron)`,
    );
}

/**
 * Whether Omnitron's status is a later step than the marketplace's: a cancel the marketplace does not show,
 * or a higher code (Omnitron's codes grow as an order moves from approved to shipped to delivered).
 */
function marketplaceIsBehind(marketplace: string, omnitron: string): boolean {
  const cancelledHere = CANCEL_CODES.has(omnitron);
  const cancelledThere = CANCEL_CODES.has(marketplace);
  if (cancelledHere || cancelledThere) return cancelledHere && !cancelledThere;
  const [there, here] = [Number(marketplace), Number(omnitron)];
  return Number.isFinite(there) && Number.isFinite(here) && here > there;
}

/** A status code with its name: `500 (shipped)`. */
function label(code: string): string {
  const name = STATUS_NAMES.get(code);
  return name ? `${code} (${name})` : code;
}

/** Whether two decimal strings are the same amount (`150` and `150.00` are). */
function sameAmount(a: string, b: string): boolean {
  return Number(a) === Number(b);
}
