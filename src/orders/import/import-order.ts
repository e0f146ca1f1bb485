import type { ChannelOrder } from '../../dto/channel-order.js';
import { type Order, remoteIdOf } from '../../dto/order.js';
import { OrderStatus } from '../../dto/order-status.js';
import { ProductNotFoundError } from '../../errors/lookup-errors.js';
import { DuplicateOrderError } from '../../errors/omnitron-errors.js';
import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import type { ItemOutcome } from '../flow-result.js';
import type { FlowRun } from '../run/flow-run.js';
import { withCreateLock } from './create-lock.js';
import type { ImportCache } from './import-cache.js';
import type { KnownOrders } from './known-orders.js';
import { toOrderCreate } from './order-payload.js';

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
 * Puts one marketplace order into Omnitron, idempotently: an order already there (same number on this
 * channel) is not created again, only re-linked to its marketplace ids (unless it is linked already).
 * Otherwise: customer, shipping and billing address, cargo company, products, then the order itself.
 * `known` holds what a look-up of the order's chunk found, so most orders need no look-up of their own.
 * With `deferUnknown`, a create whose fate is unknown throws `CreateFateUnknownError` at once rather than
 * waiting in place (the import parks the order: see `ParkedOrders`).
 */
export async function importOrder(
  run: FlowRun,
  cache: ImportCache,
  order: ChannelOrder,
  known?: KnownOrders,
  create: CreateOptions = {},
): Promise<ImportedOrder> {
  const omnitron = run.deps.omnitron;
  const answer = known?.take(order.number);
  if (answer) return present(order, answer.order, answer.linkedRemoteId);
  // Look-up and create of one number take turns across runs (a webhook beside the scheduled import, two
  // processes sharing a Redis lock): an Omnitron that does not refuse a second order of one number must
  // never be sent one. The first holder of the number may trust the chunk's "absent"; a later holder looks
  // again, since the one before it may have just created the order. A create whose fate is unknown keeps
  // the number held until it should have settled.
  return withCreateLock(
    run.deps.lock,
    `${omnitron.lockNamespace}:order:${order.number}`,
    async (lease) => {
      const trustAbsent = answer === null && lease?.heldBefore === false;
      const existing = trustAbsent ? null : await omnitron.findOrderByNumber(order.number);
      if (existing) return present(order, existing);
      return createOrder(run, cache, order, create);
    },
    { track: true },
  );
}

/** Creates an order Omnitron does not have: customer, addresses, cargo company, products, then the order. */
async function createOrder(
  run: FlowRun,
  cache: ImportCache,
  order: ChannelOrder,
  create: CreateOptions,
): Promise<ImportedOrder> {
  const omnitron = run.deps.omnitron;
  const customer = await cache.customer(order.customer, run.conf.customerIdentifierField, create);
  // The same content gives the same cached address, so an order shipped and billed alike looks it up once.
  const [shipping, billing] = await Promise.all([
    cache.address(customer, order.shippingAddress, create),
    cache.address(customer, order.billingAddress, create),
  ]);
  const cargo = await omnitron.getCargoCompanyByCode(order.cargoCompany);
  const products = await resolveProducts(cache, order);
  const payload = toOrderCreate(order, {
    customer: customer.id,
    shippingAddress: shipping.id,
    billingAddress: billing.id,
    cargoCompany: cargo.id,
    products,
  });

  let created: Order;
  try {
    created = await omnitron.createOrder(payload, create);
  } catch (error) {
    // Another run created it between our look-up and our create: it is there, which is what matters.
    const raced =
      error instanceof DuplicateOrderError ? await omnitron.findOrderByNumber(order.number) : null;
    if (raced) return present(order, raced);
    throw error;
  }
  // A create whose answer was lost returns the order a look-up found, which the merchant may already have
  // moved on: only one still at the status it was created with may be recorded at its version.
  return imported(order, created, 'created', created.status === (order.status ?? OrderStatus.approved));
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
  versionKnown = true,
): ImportedOrder {
  return {
    outcome: { key: order.number, status, omnitronId: stored.id },
    link: { order: stored, remoteId: order.remoteId, versionKnown },
    acknowledge: { remoteId: order.remoteId, number: order.number, omnitronId: stored.id },
  };
}

async function resolveProducts(cache: ImportCache, order: ChannelOrder): Promise<Map<string, number>> {
  const remoteIds = [...new Set(order.items.map((item) => item.product))];
  const products = await cache.productIds(remoteIds);
  const missing = remoteIds.filter((id) => !products.has(id));
  if (missing.length > 0) throw new ProductNotFoundError(missing);
  return products;
}
