import type {
  CancelOrderInput,
  ChannelAddress,
  ChannelCancellationRequestInput,
  ChannelOrderInput,
  OrderItemUpdateInput,
} from 'channel-app-sdk';
import type {
  MarketAddress,
  MarketCancellation,
  MarketClaim,
  MarketLineUpdate,
  MarketOrder,
} from './marketplace-api.js';

/**
 * Minor units (kuruş) to a decimal string, with integer arithmetic so no amount is ever rounded. A value
 * that is not a whole number is passed through unchanged: the SDK's validation then rejects the order and
 * names the field, instead of this mapping guessing.
 */
export function minorToDecimal(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return value;
  const abs = Math.abs(value);
  return `${value < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The marketplace puts the whole name in one field; Omnitron wants first and last name. */
function splitName(fullName: string): { firstName: string; lastName: string } {
  const parts = fullName.trim().split(/\s+/);
  const lastName = parts.length > 1 ? (parts.pop() as string) : '-';
  return { firstName: parts.join(' ') || '-', lastName };
}

/** In Turkish addresses the marketplace's "district" is the ilçe (Omnitron's township) and its "neighbourhood" the mahalle (Omnitron's district). */
export function toChannelAddress(address: MarketAddress, phone?: string): ChannelAddress {
  return {
    ...splitName(address.fullName),
    country: address.country,
    city: address.city,
    ...(address.district ? { township: address.district } : {}),
    ...(address.neighbourhood ? { district: address.neighbourhood } : {}),
    line: address.street,
    ...(address.zip ? { postcode: address.zip } : {}),
    ...(phone ? { phoneNumber: phone } : {}),
  };
}

/** A marketplace order in the SDK's shape; money in minor units becomes decimal strings. */
export function toChannelOrder(order: MarketOrder): ChannelOrderInput {
  const shipping = toChannelAddress(order.delivery, order.buyer.phone);
  return {
    remoteId: order.id,
    number: order.orderNumber,
    createdAt: order.createdAt,
    customer: {
      email: order.buyer.email,
      firstName: order.buyer.firstName,
      lastName: order.buyer.lastName,
      ...(order.buyer.phone ? { phoneNumber: order.buyer.phone } : {}),
    },
    shippingAddress: shipping,
    billingAddress: order.invoice ? toChannelAddress(order.invoice, order.buyer.phone) : shipping,
    currency: order.currency,
    // Bad values travel on unchanged, typed as what they should be: validation is the SDK's job.
    amount: minorToDecimal(order.totals.grandTotal) as string,
    shippingAmount: minorToDecimal(order.totals.shipping) as string,
    shippingTaxRate: '20',
    cargoCompany: order.carrier,
    items: order.lines.map((line) => ({
      remoteId: line.lineId,
      product: line.sku,
      quantity: line.quantity,
      price: minorToDecimal(line.unitPrice) as string,
      taxRate: String(line.vatRate),
    })),
  };
}

/** A marketplace cancellation in the SDK's shape; every line gets the cancellation's reason. */
export function toCancelOrder(cancellation: MarketCancellation): CancelOrderInput {
  return {
    order: cancellation.orderId,
    cancelItems: cancellation.lineIds,
    reasons: Object.fromEntries(cancellation.lineIds.map((lineId) => [lineId, cancellation.reasonCode])),
  };
}

/** Omnitron's order item status codes for the marketplace's line states. */
const LINE_STATUS: Record<MarketLineUpdate['status'], string | undefined> = {
  shipped: '500',
  delivered: '550',
  invoiced: undefined,
};

/** A marketplace line change in the SDK's shape: only what the marketplace says changes. */
export function toOrderItemUpdate(update: MarketLineUpdate): OrderItemUpdateInput {
  const status = LINE_STATUS[update.status];
  return {
    remoteId: update.lineId,
    orderRemoteId: update.orderId,
    ...(status ? { status } : {}),
    ...(update.trackingNumber ? { trackingNumber: update.trackingNumber } : {}),
    ...(update.invoiceNumber ? { invoiceNumber: update.invoiceNumber } : {}),
    ...(update.invoiceDate ? { invoiceDate: update.invoiceDate } : {}),
  };
}

/** A buyer's claim in the SDK's shape: a return is a `refund` request. */
export function toCancellationRequest(claim: MarketClaim): ChannelCancellationRequestInput {
  return {
    remoteId: claim.claimId,
    orderItem: claim.lineId,
    reason: claim.reasonCode,
    description: claim.note,
    cancellationType: claim.kind === 'return' ? 'refund' : 'cancel',
  };
}

/** The marketplace's order states for Omnitron's status codes. */
const ORDER_STATUS: Record<string, string> = {
  '100': 'cancelled',
  '400': 'approved',
  '450': 'picking',
  '500': 'shipped',
  '550': 'delivered',
};

/** The marketplace's name for an Omnitron order status; unknown codes are sent as they are. */
export function toMarketStatus(omnitronStatus: string): string {
  return ORDER_STATUS[omnitronStatus] ?? omnitronStatus;
}
