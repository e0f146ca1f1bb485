import { z } from 'zod';
import type { BatchRequestObject, BatchRequestTransition } from '../../dto/batch-request.js';
import type { CancellationRequestCreate, OrderCancelRequest } from '../../dto/cancellation.js';
import type { ContentTypeName } from '../../dto/common.js';
import type { ChannelCustomer, CustomerChanges } from '../../dto/customer.js';
import type { AddressErrorReport, ErrorReport } from '../../dto/error-report.js';
import type { OrderCreate } from '../../dto/order.js';
import type { OrderItemPatch } from '../../dto/order-item-update.js';
import type { AddressCreate } from '../../omnitron/wire/address.js';

/*
 * The request bodies the mock Omnitron accepts, written from Omnitron's API reference (and, where it is
 * silent, from what the Python client was traced sending), independently of the SDK's encoders: a field the
 * SDK misspells is refused here instead of passing both sides. Every object is strict: a key the reference
 * does not list is refused with a 400 naming it, and a required field missing is refused naming it.
 */

/** A primary key; DRF also takes the digits as a string (the SDK sends the channel id that way). */
const pk = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+$/, 'A valid integer is required.')
    .transform((v) => Number(v)),
]);
/** A decimal field: DRF takes a number or a decimal string; kept as a string. */
const decimal = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'A valid number is required.'), z.number()])
  .transform((v) => String(v));
const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'Datetime has wrong format.');
const text = z.string();
const nullableText = z.string().nullable();
const json = z.record(z.string(), z.unknown());
const contentTypeName = z.enum([
  'order',
  'orderitem',
  'cancellationrequest',
  'batchrequest',
  'channel',
  'product',
  'integrationaction',
]);

/** `POST batch_requests/`: the reference's BatchRequest fields; the Python client sent `{channel}`. */
export const BatchRequestCreateBody = z.strictObject({ channel: pk });

/** One `objects` entry of a batch request (the reference's BatchRequestObject). */
const BatchObjectBody = z
  .strictObject({
    pk: pk,
    failed_reason_type: z.enum(['mapping', 'remote', 'channel_app']).nullable(),
    remote_id: z.string().max(255).nullable(),
    // Typed date-time and, unlike its neighbours, not nullable: the object's `modified_date`.
    version_date: dateTime,
    content_type: contentTypeName,
  })
  .transform(
    (o): BatchRequestObject => ({
      id: o.pk,
      contentType: o.content_type,
      remoteId: o.remote_id,
      failedReasonType: o.failed_reason_type,
      versionDate: o.version_date,
    }),
  );

/** `PATCH batch_requests/{pk}/`: every field optional, as on the reference's PUT. */
export const BatchRequestPatchBody = z
  .strictObject({
    channel: pk.optional(),
    status: z.enum(['initialized', 'commit', 'sent_to_remote', 'ongoing', 'done', 'fail']),
    content_type: contentTypeName.nullable().optional(),
    remote_batch_id: z.string().max(255).nullable().optional(),
    objects: z.array(BatchObjectBody).nullable().optional(),
    log_file: nullableText.optional(),
  })
  .transform((b, ctx): BatchRequestTransition => {
    const require = (field: string, present: boolean) => {
      if (!present)
        ctx.addIssue({ code: 'custom', path: [field], message: `This field is required on ${b.status}.` });
    };
    switch (b.status) {
      case 'commit':
        require('content_type', Boolean(b.content_type));
        return { status: 'commit', contentType: b.content_type ?? 'order', objects: b.objects ?? [] };
      case 'sent_to_remote':
        require('remote_batch_id', Boolean(b.remote_batch_id));
        return { status: 'sent_to_remote', remoteBatchId: b.remote_batch_id ?? '' };
      case 'ongoing':
        return { status: 'ongoing' };
      case 'done':
        return { status: 'done', objects: b.objects ?? [] };
      case 'fail':
        return { status: 'fail', objects: b.objects ?? null };
      default:
        ctx.addIssue({ code: 'custom', path: ['status'], message: 'Batch request cannot be updated.' });
        return { status: 'ongoing' };
    }
  });

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
    if (b.extra_field !== undefined) patch.extraField = b.extra_field;
    return patch;
  });

/** `POST orders/{pk}/cancel/`: the reference's cancel fields (`forced_refund_amount` is an amount). */
export const OrderCancelBody = z
  .strictObject({
    order: pk,
    cancel_items: z.array(pk),
    reasons: z.record(z.string().regex(/^\d+$/), pk),
    forced_refund_amount: decimal.nullable().optional(),
    is_all: z.boolean().optional(),
    is_cargo_refund: z.boolean().optional(),
    refund_invoice_number: nullableText.optional(),
    ibans: z.record(z.string(), z.string()).optional(),
    holder_names: z.record(z.string(), z.string()).optional(),
  })
  .transform((b): OrderCancelRequest & { order: number } => ({
    order: b.order,
    cancelItems: b.cancel_items,
    reasons: Object.fromEntries(Object.entries(b.reasons).map(([item, reason]) => [Number(item), reason])),
    isCargoRefund: b.is_cargo_refund ?? false,
    ...(b.forced_refund_amount != null ? { forcedRefundAmount: b.forced_refund_amount } : {}),
    ...(b.refund_invoice_number != null ? { refundInvoiceNumber: b.refund_invoice_number } : {}),
  }));

/** `POST customers/`: `email`, `is_active` and `channel_code` are required (by the reference's PUT). */
export const CustomerCreateBody = z
  .strictObject({
    email: z.email().nullable(),
    is_active: z.boolean(),
    channel_code: z.string().max(64).nullable(),
    channel: pk.optional(),
    first_name: z.string().max(255),
    last_name: z.string().max(255),
    phone_number: z.string().max(128).nullable().optional(),
    erp_code: z.string().max(64).nullable().optional(),
    extra_field: json.optional(),
  })
  .transform(
    (c): ChannelCustomer => ({
      ...(c.email !== null ? { email: c.email } : {}),
      ...(c.phone_number ? { phoneNumber: c.phone_number } : {}),
      firstName: c.first_name,
      lastName: c.last_name,
      ...(c.channel_code !== null ? { channelCode: c.channel_code } : {}),
      extraField: c.extra_field ?? {},
    }),
  );

/** `PATCH customers/{pk}/`: a partial update of the customer's contact fields. */
export const CustomerPatchBody = z
  .strictObject({
    email: z.email().optional(),
    phone_number: z.string().max(128).nullable().optional(),
    first_name: z.string().max(255).optional(),
    last_name: z.string().max(255).optional(),
  })
  .transform((c): CustomerChanges => {
    const changes: CustomerChanges = {};
    if (c.email !== undefined) changes.email = c.email;
    if (c.phone_number != null) changes.phoneNumber = c.phone_number;
    if (c.first_name !== undefined) changes.firstName = c.first_name;
    if (c.last_name !== undefined) changes.lastName = c.last_name;
    return changes;
  });

/** `POST addresses/`: the reference's Address fields; `phone_number` is required. */
export const AddressCreateBody = z
  .strictObject({
    customer: pk,
    country: pk,
    city: pk,
    township: pk.nullable().optional(),
    district: pk.nullable().optional(),
    line: z.string().max(255),
    phone_number: z.string().max(128),
    first_name: z.string().max(255).optional(),
    last_name: z.string().max(255).optional(),
    email: z.string().max(254).optional(),
    title: z.string().max(128).optional(),
    postcode: z.string().max(64).optional(),
    notes: z.string().max(512).optional(),
    company_name: z.string().max(255).optional(),
    tax_office: z.string().max(64).optional(),
    tax_no: z.string().max(20).optional(),
    e_bill_taxpayer: z.boolean().optional(),
    address_type: z.enum(['customer', 'retail_store']).optional(),
    retail_store: pk.nullable().optional(),
    remote_id: nullableText.optional(),
    identity_number: z.string().max(64).nullable().optional(),
    extra_field: json.optional(),
    is_active: z.boolean().optional(),
  })
  .transform(
    (a): AddressCreate => ({
      customer: a.customer,
      location: {
        country: a.country,
        city: a.city,
        township: a.township ?? null,
        district: a.district ?? null,
      },
      ...(a.retail_store != null ? { retailStore: a.retail_store } : {}),
      address: {
        // The geography arrives as ids; the store's content hash covers what is on the wire.
        country: String(a.country),
        city: String(a.city),
        township: a.township == null ? undefined : String(a.township),
        district: a.district == null ? undefined : String(a.district),
        line: a.line,
        firstName: a.first_name || undefined,
        lastName: a.last_name || undefined,
        email: a.email || undefined,
        phoneNumber: a.phone_number || undefined,
        postcode: a.postcode || undefined,
        companyName: a.company_name || undefined,
        taxNo: a.tax_no || undefined,
        taxOffice: a.tax_office || undefined,
        identityNumber: a.identity_number ?? undefined,
        extraField: a.extra_field ?? {},
      },
    }),
  );

/**
 * `POST cancellation_requests/`: `order_item`, `reason` and `cancellation_type` are required. `remote_id` is
 * not in the reference's schema, but the Python client sent it and the duplicate check needs it.
 */
export const CancellationRequestCreateBody = z
  .strictObject({
    order_item: pk,
    reason: pk,
    cancellation_type: z.enum(['cancel', 'refund']),
    remote_id: z.string().min(1).max(255),
    description: nullableText.optional(),
    status: text.optional(),
    iban: nullableText.optional(),
    holder_name: nullableText.optional(),
    quantity: z.number().int().min(1).nullable().optional(),
    fully_refund_as_loyalty_money: z.boolean().optional(),
  })
  .transform(
    (r): CancellationRequestCreate => ({
      orderItem: r.order_item,
      reason: r.reason,
      cancellationType: r.cancellation_type,
      remoteId: r.remote_id,
      description: r.description ?? '',
    }),
  );

/**
 * `POST error_reports/`: the fields the Python client sent. `obj_modified_date` is the reported object's
 * `modified_date`; the reference lists it without marking it required, so it may be left out.
 */
export function errorReportBody(modelOf: (id: number) => ContentTypeName | undefined) {
  const model = pk.transform((id, ctx) => {
    const name = modelOf(id);
    if (!name) ctx.addIssue({ code: 'custom', message: `Invalid pk "${id}" - object does not exist.` });
    return name ?? 'channel';
  });
  return z
    .strictObject({
      action_content_type: model,
      action_object_id: z.number().int(),
      error_code: z.string().min(1).max(256),
      error_desc: z.string(),
      is_ok: z.boolean(),
      obj_modified_date: dateTime.nullable().optional(),
      raw_request: nullableText,
      raw_response: nullableText,
      target_content_type: model,
      target_object_id: z.string(),
    })
    .transform(
      (r): ErrorReport => ({
        actionContentType: r.action_content_type,
        actionObjectId: r.action_object_id,
        errorCode: r.error_code,
        errorDescription: r.error_desc,
        isOk: r.is_ok,
        ...(r.obj_modified_date != null ? { modifiedDate: r.obj_modified_date } : {}),
        rawRequest: r.raw_request ?? '',
        rawResponse: r.raw_response ?? '',
        targetContentType: r.target_content_type,
        targetObjectId: r.target_object_id,
      }),
    );
}

/** `POST error_reports/{type}/`: an address-mapping report, as the Python client sent it. */
export const AddressErrorReportBody = z
  .strictObject({
    type: z.enum(['country', 'city', 'township', 'district']),
    remote_code: z.string().min(1).max(255),
    name: z.string().optional(),
    country_id: pk.nullable().optional(),
    city_id: pk.nullable().optional(),
    township_id: pk.nullable().optional(),
    integration_type: z.literal('sales_channel'),
    err_code: z.string().nullable(),
    err_desc: z.string().nullable(),
  })
  .transform(
    (r): AddressErrorReport => ({
      type: r.type,
      remoteCode: r.remote_code,
      name: r.name ?? '',
      ...(r.country_id != null ? { countryId: r.country_id } : {}),
      ...(r.city_id != null ? { cityId: r.city_id } : {}),
      ...(r.township_id != null ? { townshipId: r.township_id } : {}),
      integrationType: r.integration_type,
      errCode: r.err_code ?? '',
      errDesc: r.err_desc ?? '',
    }),
  );
