import type { Address, ChannelAddress } from '../dto/address.js';
import type { BatchRequestObject } from '../dto/batch-request.js';
import type { Customer } from '../dto/customer.js';
import { type ChannelOrder, type Order, remoteIdOf } from '../dto/order.js';
import { DuplicateOrderError } from '../errors/duplicate-order-error.js';
import { ProductNotFoundError } from '../errors/product-not-found-error.js';
import type { AcknowledgedOrder } from '../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import type { ItemOutcome } from './flow-result.js';
import type { FlowRun } from './flow-run.js';
import { orderObjects } from './mappings.js';
import { toOrderCreate } from './order-payload.js';

/** One order imported (or found), with what its batch request must record. */
export interface ImportedOrder {
  outcome: ItemOutcome;
  objects: BatchRequestObject[];
  acknowledge: AcknowledgedOrder;
}

/**
 * Puts one marketplace order into Omnitron, idempotently: an order already there (same number on this
 * channel) is not created again, only re-linked to its marketplace ids. Otherwise: customer, shipping and
 * billing address, cargo company, products, then the order itself.
 */
export async function importOrder(
  run: FlowRun,
  order: ChannelOrder,
  batchRequestId: number,
): Promise<ImportedOrder> {
  const omnitron = run.deps.omnitron;
  const existing = await omnitron.findOrderByNumber(order.number);
  if (existing) return present(omnitron, order, existing, batchRequestId);

  const customer = await omnitron.getOrCreateCustomer(order.customer, run.conf.customerIdentifierField);
  const shipping = await omnitron.getOrCreateAddress(customer, order.shippingAddress);
  const billing = await sameOrNewAddress(omnitron, customer, order, shipping);
  const cargo = await omnitron.getCargoCompanyByCode(order.cargoCompany);
  const products = await resolveProducts(omnitron, order);
  const payload = toOrderCreate(order, {
    customer: customer.id,
    shippingAddress: shipping.id,
    billingAddress: billing.id,
    cargoCompany: cargo.id,
    products,
  });

  let created: Order;
  try {
    created = await omnitron.createOrder(payload);
  } catch (error) {
    // Another run created it between our look-up and our create: it is there, which is what matters.
    const raced =
      error instanceof DuplicateOrderError ? await omnitron.findOrderByNumber(order.number) : null;
    if (raced) return present(omnitron, order, raced, batchRequestId);
    throw error;
  }
  return imported(omnitron, order, created, 'created', batchRequestId);
}

/**
 * The order is already in Omnitron. If it came from this marketplace order, re-link it (a crash may have
 * stopped the run that created it before its batch was done). If another marketplace order holds the
 * number, refuse: re-linking would point that order at the wrong marketplace id.
 */
async function present(
  omnitron: OmnitronIntegration,
  order: ChannelOrder,
  existing: Order,
  batchRequestId: number,
): Promise<ImportedOrder> {
  const holder = remoteIdOf(existing);
  if (holder !== null && holder !== order.remoteId)
    throw new DuplicateOrderError(order.number, { existingRemoteId: holder });
  return imported(omnitron, order, existing, 'already_present', batchRequestId);
}

/** The outcome of an order Omnitron has, with the objects that link it and its items to marketplace ids. */
async function imported(
  omnitron: OmnitronIntegration,
  order: ChannelOrder,
  stored: Order,
  status: 'created' | 'already_present',
  batchRequestId: number,
): Promise<ImportedOrder> {
  const items = await omnitron.listOrderItems(stored.id);
  return {
    outcome: { key: order.number, status, omnitronId: stored.id, batchRequestId },
    objects: orderObjects(stored, items, order.remoteId),
    acknowledge: { remoteId: order.remoteId, number: order.number, omnitronId: stored.id },
  };
}

/** Most orders ship and bill to the same place: look it up once. */
async function sameOrNewAddress(
  omnitron: OmnitronIntegration,
  customer: Customer,
  order: ChannelOrder,
  shipping: Address,
): Promise<Address> {
  if (sameAddress(order.shippingAddress, order.billingAddress)) return shipping;
  return omnitron.getOrCreateAddress(customer, order.billingAddress);
}

function sameAddress(a: ChannelAddress, b: ChannelAddress): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function resolveProducts(
  omnitron: OmnitronIntegration,
  order: ChannelOrder,
): Promise<Map<string, number>> {
  const remoteIds = [...new Set(order.items.map((item) => item.product))];
  const products = await omnitron.getProductIds(remoteIds);
  const missing = remoteIds.filter((id) => !products.has(id));
  if (missing.length > 0) throw new ProductNotFoundError(missing);
  return products;
}
