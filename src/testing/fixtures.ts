import type { ChannelAddress } from '../dto/address.js';
import type { CancelOrderInput, ChannelCancellationRequestInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import type { OrderItemUpdateInput } from '../dto/order-item-update.js';

/** Every property optional, all the way down; arrays are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

let sequence = 0;

/** The next number of a process-wide sequence: keeps built orders unique. */
function next(): number {
  sequence += 1;
  return sequence;
}

/** A valid address in the default seed's geography. */
export function buildChannelAddress(overrides: DeepPartial<ChannelAddress> = {}): ChannelAddress {
  return merge(
    {
      firstName: 'Ayşe',
      lastName: 'Yılmaz',
      phoneNumber: '+905550000000',
      country: 'Türkiye',
      city: 'İstanbul',
      township: 'Kadıköy',
      district: 'Caferağa',
      line: 'Moda Caddesi 1',
      postcode: '34710',
    },
    overrides,
  );
}

/**
 * A valid marketplace order that imports cleanly into an `InMemoryOmnitron` with the default seed. Each
 * call gets a new number, remote id and customer unless `overrides` says otherwise.
 *
 * @example
 * ```ts
 * buildChannelOrder({ cargoCompany: 'NOPE' }); // fails with CargoCompanyNotFoundError
 * buildChannelOrder({ shippingAddress: { city: 'Atlantis' } }); // UnknownLocationError
 * ```
 */
export function buildChannelOrder(overrides: DeepPartial<ChannelOrderInput> = {}): ChannelOrderInput {
  const n = next();
  const address = buildChannelAddress();
  return merge<ChannelOrderInput>(
    {
      remoteId: `R-${n}`,
      number: `ORD-${n}`,
      customer: {
        email: `customer${n}@example.com`,
        firstName: 'Ayşe',
        lastName: 'Yılmaz',
        channelCode: `C-${n}`,
      },
      shippingAddress: address,
      billingAddress: address,
      currency: 'TRY',
      amount: '150.00',
      shippingAmount: '0.00',
      shippingTaxRate: '20',
      cargoCompany: 'ARAS',
      createdAt: '2026-11-01T10:30:00.000Z',
      items: [{ remoteId: `R-${n}-1`, product: 'PROD-1', price: '150.00', taxRate: '20' }],
    },
    overrides,
  );
}

/** A cancellation of every line of an order built with {@link buildChannelOrder}. */
export function buildCancelOrder(
  order: ChannelOrderInput,
  overrides: DeepPartial<CancelOrderInput> = {},
): CancelOrderInput {
  const items = order.items.map((item) => item.remoteId);
  return merge<CancelOrderInput>(
    {
      order: order.remoteId,
      cancelItems: items,
      reasons: Object.fromEntries(items.map((id) => [id, 'CUSTOMER_REQUEST'])),
    },
    overrides,
  );
}

/** A cancellation request for the first line of an order built with {@link buildChannelOrder}. */
export function buildCancellationRequest(
  order: ChannelOrderInput,
  overrides: DeepPartial<ChannelCancellationRequestInput> = {},
): ChannelCancellationRequestInput {
  const first = order.items[0];
  return merge<ChannelCancellationRequestInput>(
    {
      remoteId: `CR-${next()}`,
      orderItem: first?.remoteId ?? 'missing',
      reason: 'CUSTOMER_REQUEST',
      description: 'Changed my mind',
      cancellationType: 'cancel',
    },
    overrides,
  );
}

/** A status change of the first line of an order built with {@link buildChannelOrder}. */
export function buildOrderItemUpdate(
  order: ChannelOrderInput,
  overrides: DeepPartial<OrderItemUpdateInput> = {},
): OrderItemUpdateInput {
  return merge<OrderItemUpdateInput>(
    { remoteId: order.items[0]?.remoteId ?? 'missing', orderRemoteId: order.remoteId, status: '550' },
    overrides,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep-merges plain objects; arrays and other values in `overrides` replace. */
function merge<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overrides))
    return (overrides === undefined ? base : overrides) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides))
    out[key] = key in base ? merge(base[key], value) : value;
  return out as T;
}
