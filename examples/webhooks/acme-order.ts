/**
 * The example marketplace's order, as its webhooks send it, and its mapping to the SDK's `ChannelOrder`:
 * the `toChannelOrder` the webhook guide's adapter calls (a scheduled import would reuse it).
 */
import type { ChannelOrderInput } from 'channel-app-sdk';

/** An order as Acme's `order.created` event carries it. */
export interface AcmeOrder {
  id: string;
  number: string;
  placedAt: string;
  currency: string;
  total: string;
  shippingFee: string;
  carrier: string;
  buyer: { id: string; email: string; firstName: string; lastName: string; phone: string };
  address: {
    country: string;
    city: string;
    district: string;
    neighbourhood: string;
    street: string;
    zip: string;
  };
  lines: { id: string; sku: string; price: string; vatRate: string }[];
}

/** Acme's order as the SDK's order: shipped and billed to the one address Acme sends. */
export function toChannelOrder(order: AcmeOrder): ChannelOrderInput {
  const { buyer, address } = order;
  const channelAddress = {
    firstName: buyer.firstName,
    lastName: buyer.lastName,
    phoneNumber: buyer.phone,
    country: address.country,
    city: address.city,
    township: address.district,
    district: address.neighbourhood,
    line: address.street,
    postcode: address.zip,
  };
  return {
    remoteId: order.id,
    number: order.number,
    customer: {
      email: buyer.email,
      firstName: buyer.firstName,
      lastName: buyer.lastName,
      channelCode: buyer.id,
    },
    shippingAddress: channelAddress,
    billingAddress: channelAddress,
    currency: order.currency,
    amount: order.total,
    shippingAmount: order.shippingFee,
    shippingTaxRate: '20',
    cargoCompany: order.carrier,
    createdAt: order.placedAt,
    items: order.lines.map((line) => ({
      remoteId: line.id,
      product: line.sku,
      price: line.price,
      taxRate: line.vatRate,
    })),
  };
}
