import { z } from 'zod';
import type { OrderCancelRequest } from '../../dto/cancellation.js';
import type { Order, OrderCreate, OrderItem } from '../../dto/order.js';
import type { OrderItemPatch } from '../../dto/order-item-update.js';
import { optionalText, WirePk, wireDecimal, wireObject, withPk } from './common.js';

/** An order on the wire. */
export const OrderJson = withPk({
  number: z.string(),
  status: z.string(),
  customer: WirePk.nullable().optional(),
  amount: wireDecimal,
  currency: z.string(),
  cargo_company: WirePk.nullable().optional(),
  extra_field: wireObject,
  modified_date: z.string(),
}).transform(
  (o): Order => ({
    id: o.pk,
    number: o.number,
    status: o.status,
    customer: o.customer ?? null,
    amount: o.amount,
    currency: o.currency,
    cargoCompany: o.cargo_company ?? null,
    extraField: o.extra_field,
    modifiedDate: o.modified_date,
  }),
);

/** An order as Omnitron's JSON. */
export function orderToJson(o: Order, channelId: number) {
  return {
    pk: o.id,
    channel: channelId,
    number: o.number,
    status: o.status,
    customer: o.customer,
    amount: o.amount,
    currency: o.currency,
    cargo_company: o.cargoCompany,
    extra_field: o.extraField,
    modified_date: o.modifiedDate,
  };
}

/** An order item on the wire. */
export const OrderItemJson = withPk({
  order: WirePk,
  product: WirePk,
  status: z.string(),
  price: wireDecimal,
  invoice_number: optionalText,
  invoice_date: optionalText,
  tracking_number: optionalText,
  shipping_company: optionalText,
  shipment_code: optionalText,
  extra_field: wireObject,
  modified_date: z.string(),
}).transform(
  (i): OrderItem => ({
    id: i.pk,
    order: i.order,
    product: i.product,
    status: i.status,
    price: i.price,
    invoiceNumber: i.invoice_number,
    invoiceDate: i.invoice_date,
    trackingNumber: i.tracking_number,
    shippingCompany: i.shipping_company,
    shipmentCode: i.shipment_code,
    extraField: i.extra_field,
    modifiedDate: i.modified_date,
  }),
);

/** An order item as Omnitron's JSON. */
export function orderItemToJson(i: OrderItem) {
  return {
    pk: i.id,
    order: i.order,
    product: i.product,
    status: i.status,
    price: i.price,
    invoice_number: i.invoiceNumber,
    invoice_date: i.invoiceDate,
    tracking_number: i.trackingNumber,
    shipping_company: i.shippingCompany ?? null,
    shipment_code: i.shipmentCode ?? null,
    extra_field: i.extraField,
    modified_date: i.modifiedDate,
  };
}

/** Omnitron keeps one order item per unit: every item of a create is one unit. */
const UNITS_PER_ITEM = 1;

/** The POST body of `create_orders/`: `{order, order_item}`. Nothing is cut: the DTO's validation bounds lengths. */
export function orderCreateToJson(o: OrderCreate, channelId: number) {
  return {
    order: {
      number: o.number,
      status: o.status,
      // An integer, as the reference types it (the Python client sent a string, which DRF coerces).
      channel: channelId,
      customer: o.customer,
      shipping_address: o.shippingAddress,
      billing_address: o.billingAddress,
      currency: o.currency,
      amount: o.amount,
      shipping_amount: o.shippingAmount,
      shipping_tax_rate: o.shippingTaxRate,
      extra_field: o.extraField,
      delivery_type: o.deliveryType ?? null,
      cargo_company: o.cargoCompany,
      discount_amount: o.discountAmount,
      net_shipping_amount: o.netShippingAmount,
      tracking_number: o.trackingNumber ?? null,
      carrier_shipping_code: o.carrierShippingCode ?? '',
      remote_addr: o.remoteAddr ?? null,
      has_gift_box: o.hasGiftBox,
      gift_box_note: o.giftBoxNote,
      client_type: o.clientType,
      language_code: o.languageCode,
      notes: o.notes,
      delivery_range: null,
      shipping_option_slug: o.shippingOptionSlug,
      date_placed: o.datePlaced,
    },
    // Omnitron's API reference requires `quantity`, `unit_price` and `total_price` on every item (the
    // Python client sent none). Each item is one unit (a line of n becomes n items), so the quantity is 1
    // and both prices are the unit price.
    order_item: o.items.map((i) => ({
      product: i.product,
      status: i.status,
      price_currency: i.priceCurrency,
      price: i.price,
      quantity: UNITS_PER_ITEM,
      unit_price: i.price,
      total_price: i.price,
      tax_rate: i.taxRate,
      extra_field: i.extraField,
      price_list: i.priceList ?? null,
      stock_list: i.stockList ?? null,
      // `shipping_company` and `shipment_code` are the reference's names for a line's carrier and
      // tracking code; `tracking_number` and `carrier_shipping_code` beside them are the traced ones the
      // Python client sent, kept so a server that reads only those still gets them.
      ...(i.shippingCompany !== undefined ? { shipping_company: i.shippingCompany } : {}),
      ...(i.shipmentCode !== undefined ? { shipment_code: i.shipmentCode } : {}),
      tracking_number: i.trackingNumber ?? null,
      carrier_shipping_code: i.carrierShippingCode ?? '',
      discount_amount: i.discountAmount,
      retail_price: i.retailPrice,
      attributes: i.attributes,
      attributes_kwargs: {},
      parent: null,
      delivered_date: null,
      estimated_delivery_date: i.estimatedDeliveryDate ?? null,
    })),
  };
}

/**
 * The PATCH body of an order item change. `shipping_company` and `shipment_code` are the fields Omnitron's
 * API reference lists; `invoice_number`, `invoice_date` and `tracking_number` are not in it but are the
 * traced ones the Python client sent (and Omnitron stores), so they are kept beside the documented ones.
 */
export function orderItemPatchToJson(p: OrderItemPatch) {
  const body: Record<string, unknown> = {};
  if (p.status !== undefined) body.status = p.status;
  if (p.invoiceNumber !== undefined) body.invoice_number = p.invoiceNumber;
  if (p.invoiceDate !== undefined) body.invoice_date = p.invoiceDate;
  if (p.trackingNumber !== undefined) body.tracking_number = p.trackingNumber;
  if (p.shippingCompany !== undefined) body.shipping_company = p.shippingCompany;
  if (p.shipmentCode !== undefined) body.shipment_code = p.shipmentCode;
  if (p.extraField !== undefined) body.extra_field = p.extraField;
  return body;
}

/** The POST body of `orders/{pk}/cancel/`; unlike the Python client it sends the refund fields too. */
export function orderCancelToJson(orderId: number, r: OrderCancelRequest) {
  return {
    cancel_items: r.cancelItems,
    order: orderId,
    reasons: Object.fromEntries(Object.entries(r.reasons).map(([item, reason]) => [String(item), reason])),
    forced_refund_amount: r.forcedRefundAmount ?? null,
    is_cargo_refund: r.isCargoRefund,
    refund_invoice_number: r.refundInvoiceNumber ?? null,
  };
}
