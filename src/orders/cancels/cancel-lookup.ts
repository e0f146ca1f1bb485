import type { CancelOrder } from '../../dto/cancellation.js';
import type { OrderItem } from '../../dto/order.js';
import { objectIdsByRemoteId } from '../common/mappings.js';
import { ORDER_SIZES } from '../defaults.js';
import type { RunContext } from '../run/run-context.js';

/** Cancellations looked up together: one request for their orders' links, one for their lines', one for the items. */
export const CANCEL_CHUNK = ORDER_SIZES.cancelLookup;

/**
 * What a chunk of cancellations needs from Omnitron, asked once for the chunk rather than once per
 * cancellation: the Omnitron ids of their orders and lines, and the items of those orders. The items are
 * kept current as the chunk's cancellations change them (each order's are worked on one at a time), and
 * dropped when a change had an unknown fate, so the next cancellation of that order reads them afresh.
 */
export class CancelLookup {
  readonly #orders: Map<string, number[]>;
  readonly #lines: Map<string, number[]>;
  readonly #items: Map<number, OrderItem[]>;

  private constructor(
    orders: Map<string, number[]>,
    lines: Map<string, number[]>,
    items: Map<number, OrderItem[]>,
  ) {
    this.#orders = orders;
    this.#lines = lines;
    this.#items = items;
  }

  /**
   * Looks a chunk's cancellations up; on any failure returns `null`, and each cancellation then looks
   * itself up (the failure, if it lasts, becomes that cancellation's own).
   */
  static async of(context: RunContext, cancels: readonly CancelOrder[]): Promise<CancelLookup | null> {
    if (cancels.length === 0) return null;
    try {
      return await CancelLookup.read(context, cancels);
    } catch (error) {
      context.logger.warn(
        { flow: context.flow, cancels: cancels.length, error: context.redactor.redactText(String(error)) },
        'looking up a chunk of cancellations failed; each is looked up on its own',
      );
      return null;
    }
  }

  /** Looks cancellations up; a failure is thrown. */
  static async read(context: RunContext, cancels: readonly CancelOrder[]): Promise<CancelLookup> {
    const { omnitron } = context;
    const orders = await objectIdsByRemoteId(
      omnitron,
      'order',
      cancels.map((c) => c.order),
    );
    const lines = await objectIdsByRemoteId(
      omnitron,
      'orderitem',
      cancels.flatMap((c) => c.cancelItems),
    );
    const orderIds = [...orders.values()].flatMap((ids) => (ids.length === 1 ? ids : []));
    const items = orderIds.length > 0 ? await omnitron.listOrderItemsOfOrders(orderIds) : new Map();
    return new CancelLookup(orders, lines, items);
  }

  /** What a cancellation's work is serialized by: its Omnitron order when known, else its marketplace id. */
  orderKey(cancel: CancelOrder): string {
    const ids = this.#orders.get(cancel.order);
    return ids?.length === 1 ? `#${ids[0]}` : cancel.order;
  }

  /** The Omnitron ids linked to an order's marketplace id (none: `[]`). */
  orderIds(remoteId: string): number[] {
    return this.#orders.get(remoteId) ?? [];
  }

  /** The Omnitron ids linked to lines' marketplace ids. */
  get lines(): ReadonlyMap<string, number[]> {
    return this.#lines;
  }

  /** An order's items as they stand, or `undefined` when they must be read. */
  items(orderId: number): OrderItem[] | undefined {
    return this.#items.get(orderId);
  }

  /** Replaces an order's items with what Omnitron now holds, or forgets them (`undefined`). */
  setItems(orderId: number, items: OrderItem[] | undefined): void {
    if (items) this.#items.set(orderId, items);
    else this.#items.delete(orderId);
  }
}
