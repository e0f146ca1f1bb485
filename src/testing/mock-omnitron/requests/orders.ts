import { z } from 'zod';
import type { OrderCreate } from '../../../dto/order.js';
import type { OrderItemPatch } from '../../../dto/order-item-update.js';
import { dateTime, decimal, json, nullableText, pk, text } from './shared.js';

/** An order of `create_orders/`: the reference's CreateOrder fields plus those the Python client sent. */
const CreateOrderBody = z.strictObject({
  number: z.string().min(1).max(128),
  channel: pk,
  status: text,
  date_placed: dateTime,
  customer: pk,
  shipping_address: pk,
  billing_address: pk,
  cargo_company: pk,
  currency: text,
  amount: decimal,
  shipping_amount: decimal,
  shipping_tax_rate: decimal.nullable(),
  discount_amount: decimal.optional(),
  net_shipping_amount: decimal.optional(),
  extra_field: json,
  delivery_type: nullableText.optional(),
  tracking_number: nullableText.optional(),
  carrier_shipping_code: nullableText.optional(),
  remote_addr: nullableText.optional(),
  has_gift_box: z.boolean().optional(),
  gift_box_note: nullableText.optional(),
  client_type: text.optional(),
  language_code: nullableText.optional(),
  notes: nullableText.optional(),
  delivery_range: z.strictObject({ start: dateTime, end: dateTime }).nullable().optional(),
  shipping_option_slug: nullableText.optional(),
  segment: nullableText.optional(),
  invoice_number: nullableText.optional(),
  invoice_date: dateTime.nullable().optional(),
  is_send: z.boolean().optional(),
});

/** An item of `create_orders/`: `product`, `quantity`, `unit_price` and `total_price` are required. */
const CreateOrderItemBody = z
  .strictObject({
    product: pk,
    quantity: z.number().int().min(1),
    unit_price: decimal,
    total_price: decimal,
    price: decimal,
    status: text.optional(),
    price_currency: text.optional(),
    tax_rate: decimal.optional(),
    tax_amount: decimal.optional(),
    extra_field: json.optional(),
    price_list: pk.nullable().optional(),
    stock_list: pk.nullable().optional(),
    shipping_company: nullableText.optional(),
    shipment_code: nullableText.optional(),
    // Not in the part of the reference that could be read; the Python client sent them.
    tracking_number: nullableText.optional(),
    carrier_shipping_code: nullableText.optional(),
    discount_amount: decimal.optional(),
    retail_price: decimal.optional(),
    attributes: json.optional(),
    attributes_kwargs: json.optional(),
    parent: pk.nullable().optional(),
    delivered_date: dateTime.nullable().optional(),
    estimated_delivery_date: dateTime.nullable().optional(),
  })
  .superRefine((i, ctx) => {
    if (Number(i.total_price) !== Number(i.unit_price) * i.quantity)
      ctx.addIssue({ code: 'custom', path: ['total_price'], message: 'must be unit_price × quantity.' });
  });

/** `POST create_orders/`: `order` and `order_item` are both required. */
export const CreateOrdersBody = z
  .strictObject({ order: CreateOrderBody, order_item: z.array(CreateOrderItemBody).min(1) })
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
      shippingTaxRate: o.shipping_tax_rate ?? '0',
      discountAmount: o.discount_amount ?? '0',
      netShippingAmount: o.net_shipping_amount ?? o.shipping_amount,
      datePlaced: o.date_placed,
      hasGiftBox: o.has_gift_box ?? false,
      giftBoxNote: o.gift_box_note ?? '',
      notes: o.notes ?? '',
      shippingOptionSlug: o.shipping_option_slug ?? '',
      languageCode: o.language_code ?? '',
      clientType: o.client_type ?? 'default',
      extraField: o.extra_field,
      items: order_item.map((i) => ({
        product: i.product,
        status: i.status ?? '400',
        price: i.price,
        retailPrice: i.retail_price ?? i.price,
        priceCurrency: i.price_currency ?? o.currency,
        taxRate: i.tax_rate ?? '0',
        discountAmount: i.discount_amount ?? '0',
        ...(i.tracking_number ? { trackingNumber: i.tracking_number } : {}),
        ...(i.shipping_company ? { shippingCompany: i.shipping_company } : {}),
        ...(i.shipment_code ? { shipmentCode: i.shipment_code } : {}),
        attributes: i.attributes ?? {},
        extraField: i.extra_field ?? {},
      })),
    }),
  );

/**
 * `PATCH order_items/{pk}/`: a partial update. The reference's OrderItem has `shipment_code`, not
 * `tracking_number`, and no invoice fields; the Python client sent those three, so they are taken too.
 */
export const OrderItemPatchBody = z
  .strictObject({
    status: text.optional(),
    invoice_number: nullableText.optional(),
    invoice_date: dateTime.nullable().optional(),
    tracking_number: nullableText.optional(),
    shipment_code: nullableText.optional(),
    shipping_company: nullableText.optional(),
    cancel_status: nullableText.optional(),
    extra_field: json.optional(),
  })
  .transform((b): OrderItemPatch => {
    const patch: OrderItemPatch = {};
    if (b.status !== undefined) patch.status = b.status;
    if (b.invoice_number !== undefined) patch.invoiceNumber = b.invoice_number;
    if (b.invoice_date !== undefined) patch.invoiceDate = b.invoice_date;
    if (b.tracking_number !== undefined) patch.trackingNumber = b.tracking_number;
    if (b.shipping_company !== undefined) patch.shippingCompany = b.shipping_company;
    if (b.shipment_code !== undefined) patch.shipmentCode = b.shipment_code;
    if (b.extra_field !== undefined) patch.extraField = b.extra_field;
    return patch;
  });
