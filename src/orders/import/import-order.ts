import type { ChannelOrder } from '../../dto/channel-order.js';
import type { Order } from '../../dto/order.js';
import { ProductNotFoundError } from '../../errors/lookup-errors.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import { lineCarriers } from '../common/line-carriers.js';
import type { RunContext } from '../run/run-context.js';
import { type ImportedOrder, importUnlessPresent } from './existing-order.js';
import type { ImportCache } from './import-cache.js';
import type { KnownOrders } from './known-orders.js';
import { toOrderCreate } from './order-payload.js';

/**
 * Puts one marketplace order into Omnitron, idempotently: an order already there (same number on this
 * channel, decided by {@link importUnlessPresent}) is not created again, only re-linked to its marketplace
 * ids (unless it is linked already). Otherwise: customer, shipping and billing address, cargo company,
 * products, then the order itself. `known` holds what a look-up of the order's chunk found, so most orders
 * need no look-up of their own.
 * With `deferUnknown`, a create whose fate is unknown throws `CreateFateUnknownError` at once rather than
 * waiting in place (the import parks the order: see `ParkedOrders`).
 */
export async function importOrder(
  context: RunContext,
  cache: ImportCache,
  order: ChannelOrder,
  known?: KnownOrders,
  create: CreateOptions = {},
): Promise<ImportedOrder> {
  return importUnlessPresent(context, order, known, () => createOrder(context, cache, order, create));
}

/** Creates an order Omnitron does not have: customer, addresses, cargo company, products, then the order. */
async function createOrder(
  context: RunContext,
  cache: ImportCache,
  order: ChannelOrder,
  create: CreateOptions,
): Promise<Order> {
  const omnitron = context.omnitron;
  const customer = await cache.customer(order.customer, context.conf.customerIdentifierField, create);
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
    lineCarriers: await lineCarriers(omnitron, order),
  });

  return omnitron.createOrder(payload, create);
}

async function resolveProducts(cache: ImportCache, order: ChannelOrder): Promise<Map<string, number>> {
  const remoteIds = [...new Set(order.items.map((item) => item.product))];
  const products = await cache.productIds(remoteIds);
  const missing = remoteIds.filter((id) => !products.has(id));
  if (missing.length > 0) throw new ProductNotFoundError(missing);
  return products;
}
