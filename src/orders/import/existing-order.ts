import type { ChannelOrder } from '../../dto/channel-order.js';
import { type Order, remoteIdOf } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';
import { DuplicateOrderError } from '../../errors/omnitron-errors.js';
import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import type { ItemOutcome } from '../flow-result.js';
import type { RunContext } from '../run/run-context.js';
import { withCreateLock } from './create-lock.js';
import type { KnownOrders } from './known-orders.js';

/** An order Omnitron has, to link (with its items) to the marketplace id it was imported under. */
export interface OrderToLink {
  order: Order;
  remoteId: string;
  /**
   * Whether the order's current `modified_date` may be recorded as the version the marketplace knows: true
   * for an order created now, and for one found unlinked whose status is still the marketplace's. An order
   * found unlinked that the merchant has moved on is linked with `UNKNOWN_VERSION`, so the update flow still
   * sends the merchant's change (only the flow that sends a version may record it).
   */
  versionKnown: boolean;
}

/** One order imported (or found), with what its batch request must link. */
export interface ImportedOrder {
  outcome: ItemOutcome;
  /** `null` when the order and its items are linked already. */
  link: OrderToLink | null;
  acknowledge: AcknowledgedOrder;
}

/**
 * The existence ladder: the one place that decides whether an incoming order is already in Omnitron, and
 * calls `create` only when every rung said no. Creating an order twice is the one mistake an import cannot
 * undo, so each rung guards against what the one before it cannot see:
 * 1. **The chunk's look-up** ({@link KnownOrders}): two requests per 50 orders say which numbers Omnitron
 *    has and which are linked. A "present" answer is final; an "absent" one is only a hint.
 * 2. **The order number's create lock**: look-up and create of one number take turns across runs (a
 *    webhook beside the scheduled import, two processes sharing a Redis lock). The first holder may trust
 *    the chunk's "absent"; a later holder looks again (`findOrderByNumber`), since the one before it may
 *    have just created the order. A create whose fate is unknown keeps the number held until it should
 *    have settled.
 * 3. **Omnitron's refusal**: a create refused as a duplicate number means another writer got there
 *    first; the order is looked up and taken as present.
 * 4. **The adapter's look-up before a resend** (`OmnitronRestIntegration`): a create whose answer was lost
 *    is looked up before it is sent again, so a retry never makes a second order.
 * An order found present is re-linked to its marketplace ids unless it is linked already, and refused when
 * another marketplace order holds its number (see {@link present}).
 */
export async function importUnlessPresent(
  context: Pick<RunContext, 'omnitron' | 'lock'>,
  order: ChannelOrder,
  known: KnownOrders | undefined,
  create: () => Promise<Order>,
): Promise<ImportedOrder> {
  const { omnitron, lock } = context;
  const answer = known?.take(order.number);
  if (answer) return present(order, answer.order, answer.linkedRemoteId);
  return withCreateLock(
    lock,
    `${omnitron.lockNamespace}:order:${order.number}`,
    async (lease) => {
      const trustAbsent = answer === null && lease?.heldBefore === false;
      const existing = trustAbsent ? null : await omnitron.findOrderByNumber(order.number);
      if (existing) return present(order, existing);
      let created: Order;
      try {
        created = await create();
      } catch (error) {
        const raced =
          error instanceof DuplicateOrderError ? await omnitron.findOrderByNumber(order.number) : null;
        if (raced) return present(order, raced);
        throw error;
      }
      // A create whose answer was lost returns the order a look-up found, which the merchant may already
      // have moved on: only one still at the status it was created with may be recorded at its version.
      return imported(order, created, 'created', created.status === (order.status ?? OrderStatus.approved));
    },
    { track: true },
  );
}

/**
 * The order is already in Omnitron. If it came from this marketplace order, re-link it (a crash may have
 * stopped the run that created it before its batch was done), unless its link is already there: then it
 * only needs acknowledging, and its items are not fetched. If another marketplace order holds the number,
 * refuse: re-linking would point that order at the wrong marketplace id.
 */
function present(order: ChannelOrder, existing: Order, linkedRemoteId: string | null = null): ImportedOrder {
  const holder = remoteIdOf(existing);
  if (holder !== null && holder !== order.remoteId)
    throw new DuplicateOrderError(order.number, { existingRemoteId: holder });
  // Order and items are linked by the same `done`, so a linked order has linked items.
  if (linkedRemoteId !== null && linkedRemoteId === (holder ?? order.remoteId))
    return {
      outcome: { key: order.number, status: 'already_present', omnitronId: existing.id },
      link: null,
      acknowledge: { remoteId: order.remoteId, number: order.number, omnitronId: existing.id },
    };
  const versionKnown = existing.status === (order.status ?? OrderStatus.approved);
  return imported(order, existing, 'already_present', versionKnown);
}

/**
 * The outcome of an order Omnitron has, with the link its batch request makes. Its items are read with
 * those of the rest of its chunk, when the chunk is committed (`listOrderItemsOfOrders`).
 */
function imported(
  order: ChannelOrder,
  stored: Order,
  status: 'created' | 'already_present',
  versionKnown: boolean,
): ImportedOrder {
  return {
    outcome: { key: order.number, status, omnitronId: stored.id },
    link: { order: stored, remoteId: order.remoteId, versionKnown },
    acknowledge: { remoteId: order.remoteId, number: order.number, omnitronId: stored.id },
  };
}
