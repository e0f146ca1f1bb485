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
    extra_field: i.extraField,
    modified_date: i.modifiedDate,
  };
}

/** The POST body of `create_orders/`: `{order, order_item}`. Nothing is cut: the DTO's validation bounds lengths. */
export function orderCreateToJson(o: OrderCreate, channelId: number) {
  return {
    order: {
      number: o.number,
      status: o.status,
      channel: String(channelId),
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
    order_item: o.items.map((i) => ({
      product: i.product,
      status: i.status,
      price_currency: i.priceCurrency,
      price: i.price,
      tax_rate: i.taxRate,
      extra_field: i.extraField,
      price_list: i.priceList ?? null,
      stock_list: i.stockList ?? null,
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

/** The `create_orders/` body parsed back (the mock server's side). */
export const OrderCreateJson = z
  .object({
    order: z.object({
      number: z.string(),
      status: z.string(),
      customer: WirePk,
      shipping_address: WirePk,
      billing_address: WirePk,
      cargo_company: WirePk,
      currency: z.string(),
      amount: z.string(),
      shipping_amount: z.string(),
      shipping_tax_rate: z.string(),
      discount_amount: z.string(),
      net_shipping_amount: z.string(),
      date_placed: z.string(),
      extra_field: wireObject,
      has_gift_box: z.boolean(),
      gift_box_note: z.string(),
      notes: z.string(),
      shipping_option_slug: z.string(),
      language_code: z.string(),
      client_type: z.string(),
    }),
    order_item: z.array(
      z.object({
        product: WirePk,
        status: z.string(),
        price: z.string(),
        retail_price: z.string(),
        price_currency: z.string(),
        tax_rate: z.string(),
        discount_amount: z.string(),
        tracking_number: optionalText,
        extra_field: wireObject,
        attributes: wireObject,
      }),
    ),
  })
  .transform(
    ({ order: o, order_item }): OrderCreate => ({
      number: o.number,
      status: o.status,
      customer: o.customer,
      shippingAddress: o.shipping_address,
      billingAddress: o.billing_address,
      cargoCompany: o.cargo_company,
      currency: o.currency,
      amount: o.amount,
      shippingAmount: o.shipping_amount,
      shippingTaxRate: o.shipping_tax_rate,
      discountAmount: o.discount_amount,
      netShippingAmount: o.net_shipping_amount,
      datePlaced: o.date_placed,
      hasGiftBox: o.has_gift_box,
      giftBoxNote: o.gift_box_note,
      notes: o.notes,
      shippingOptionSlug: o.shipping_option_slug,
      languageCode: o.language_code,
      clientType: o.client_type,
      extraField: o.extra_field,
      items: order_item.map((i) => ({
        product: i.product,
        status: i.status,
        price: i.price,
        retailPrice: i.retail_price,
        priceCurrency: i.price_currency,
        taxRate: i.tax_rate,
        discountAmount: i.discount_amount,
        trackingNumber: i.tracking_number ?? undefined,
        attributes: i.attributes,
        extraField: i.extra_field,
      })),
    }),
  );

/** The PATCH body of an order item change. */
export function orderItemPatchToJson(p: OrderItemPatch) {
  const body: Record<string, unknown> = {};
  if (p.status !== undefined) body.status = p.status;
  if (p.invoiceNumber !== undefined) body.invoice_number = p.invoiceNumber;
  if (p.invoiceDate !== undefined) body.invoice_date = p.invoiceDate;
  if (p.trackingNumber !== undefined) body.tracking_number = p.trackingNumber;
  if (p.extraField !== undefined) body.extra_field = p.extraField;
  return body;
}

/** The PATCH body parsed back (the mock server's side). */
export const OrderItemPatchJson = z
  .object({
    status: z.string().optional(),
    invoice_number: z.string().nullable().optional(),
    invoice_date: z.string().nullable().optional(),
    tracking_number: z.string().nullable().optional(),
    extra_field: z.record(z.string(), z.unknown()).optional(),
  })
  .transform((b): OrderItemPatch => {
    const patch: OrderItemPatch = {};
    if (b.status !== undefined) patch.status = b.status;
    if (b.invoice_number !== undefined) patch.invoiceNumber = b.invoice_number;
    if (b.invoice_date !== undefined) patch.invoiceDate = b.invoice_date;
    if (b.tracking_number !== undefined) patch.trackingNumber = b.tracking_number;
    if (b.extra_field !== undefined) patch.extraField = b.extra_field;
    return patch;
  });

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

/** The cancel body parsed back (the mock server's side). */
export const OrderCancelJson = z
  .object({
    cancel_items: z.array(WirePk),
    reasons: z.record(z.string(), WirePk),
    forced_refund_amount: optionalText,
    is_cargo_refund: z.boolean().optional().default(false),
    refund_invoice_number: optionalText,
  })
  .transform(
    (b): OrderCancelRequest => ({
      cancelItems: b.cancel_items,
      reasons: Object.fromEntries(Object.entries(b.reasons).map(([item, reason]) => [Number(item), reason])),
      isCargoRefund: b.is_cargo_refund,
      forcedRefundAmount: b.forced_refund_amount ?? undefined,
      refundInvoiceNumber: b.refund_invoice_number ?? undefined,
    }),
  );
