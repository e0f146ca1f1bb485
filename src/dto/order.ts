import { z } from 'zod';
import { ChannelAddress } from './address.js';
import {
  ChannelExtraField,
  DecimalString,
  ExtraField,
  IsoDateTime,
  NonNegativeDecimalString,
  OmnitronId,
  RemoteId,
} from './common.js';
import { ChannelCustomer } from './customer.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/**
 * Omnitron's status codes for orders and order items (both use the same list). They travel as strings of
 * digits, such as `"400"`; the names are only labels.
 *
 * Codes `50` to `545` and their meanings follow Omnitron's published status table. Its readable part ends
 * at `545`; `546`, `547`, `550` and `600` are the codes Akinon's public storefront code uses for the states
 * after it, so their descriptions here are our reading of the names, not Omnitron's wording.
 *
 * @example
 * ```ts
 * yield { data: { remoteId: line.id, status: OrderStatus.delivered } }; // from getUpdatedOrderItems
 * ```
 */
export const OrderStatus = {
  /** A cancellation was asked for and waits for approval. */
  cancellationWaiting: '50',
  /** Cancelled: it will not be shipped. The cancel flow skips items already here. */
  cancelled: '100',
  /** Placed, but nobody has started processing it yet. */
  waiting: '200',
  /** On hold until the customer pays. */
  paymentWaiting: '300',
  /** On hold until a confirmation (the merchant's or the payment provider's) arrives. */
  confirmationWaiting: '350',
  /** Validated and ready to fulfil: the default the flows give a new marketplace order and its items. */
  approved: '400',
  /** Being picked and packed for shipment. */
  preparing: '450',
  /** Handed to the cargo company. */
  shipped: '500',
  /** Shipped, and the customer has been told so. */
  shippedAndInformed: '510',
  /** Waiting at a pickup point or store for the customer to collect it. */
  readyForPickup: '520',
  /** The cargo company tried to deliver and failed. */
  attemptedDelivery: '540',
  /** A review of the order (for instance a fraud or quality check) has begun. */
  reviewStarted: '544',
  /** Waiting for a review. */
  reviewWaiting: '545',
  /** Waiting for a payment outside the checkout, such as a trade-in settlement (our reading). */
  waitingForPayment: '546',
  /** That payment arrived (our reading). */
  paid: '547',
  /** Delivered to the customer (our reading of the name). */
  delivered: '550',
  /** Returned and refunded after delivery (our reading of the name). */
  refunded: '600',
} as const;
/** One of Omnitron's order and order-item status codes, such as `"400"`; see {@link OrderStatus}. */
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/**
 * Omnitron's status codes for order items: the same list as {@link OrderStatus}, under the name an
 * order-line update reads best with.
 */
export const OrderItemStatus: typeof OrderStatus = OrderStatus;
/** One of Omnitron's order-item status codes; see {@link OrderStatus}. */
export type OrderItemStatus = OrderStatus;

/** One order line as the marketplace sends it. */
export const ChannelOrderItem = z.object({
  /** The marketplace's id of this line; cancels and updates refer to it. */
  remoteId: RemoteId,
  /** The marketplace's product id (SKU, barcode, listing id): mapped to an Omnitron product. */
  product: RemoteId,
  /** How many units; Omnitron keeps one order item per unit, all sharing this line's `remoteId`. */
  quantity: z.number().int().min(1).max(10_000).default(1),
  /** Unit price, as a decimal string. */
  price: NonNegativeDecimalString,
  /** Price before discounts, as a decimal string; defaults to `price`. */
  retailPrice: NonNegativeDecimalString.optional(),
  /** Tax rate in percent, as a decimal string such as `"20"`. */
  taxRate: NonNegativeDecimalString,
  /** Currency of the price; defaults to the order's currency. */
  priceCurrency: text(8).min(1).optional(),
  /** Discount, as a decimal string. */
  discountAmount: NonNegativeDecimalString.optional(),
  /** Omnitron status code ({@link OrderStatus}); defaults to approved (`400`). */
  status: text(16).min(1).optional(),
  /** Omnitron price list id; defaults to the catalog's. */
  priceList: OmnitronId.optional(),
  /** Omnitron stock list id; defaults to the catalog's. */
  stockList: OmnitronId.optional(),
  /** Cargo tracking number. */
  trackingNumber: text(256).optional(),
  /** The cargo company's shipment code. */
  carrierShippingCode: text(256).optional(),
  /** Estimated delivery date. */
  estimatedDeliveryDate: IsoDateTime.optional(),
  /** Product attributes of the line. */
  attributes: ChannelExtraField.optional(),
  /** Anything else worth keeping. */
  extraField: ChannelExtraField.optional(),
});
/** One order line as the marketplace sends it. */
export type ChannelOrderItem = z.infer<typeof ChannelOrderItem>;

/**
 * A new order as the marketplace sends it: what a channel adapter yields from `getOrders`. Everything is
 * validated before a flow touches Omnitron; a failure names the field.
 *
 * Limits: the flows first copy each yielded item as JSON would read it, within `CHANNEL_ITEM_LIMITS`
 * (64 levels, 16 MiB), so a cycle, a `BigInt`, a getter, `toJSON` or proxy that throws makes that item
 * fail with an `InvalidPayloadError`, never the run. Each `extraField` and `attributes` must also stay
 * within `EXTRA_FIELD_LIMITS`: 32 levels of nesting and 1 MiB as JSON.
 */
export const ChannelOrder = z
  .object({
    /** The marketplace's id of the order; Omnitron keeps it as the order's remote id. */
    remoteId: RemoteId,
    /** The order number shown to people; unique per channel in Omnitron. */
    number: RemoteId.max(128, 'must be at most 128 characters'),
    /** Omnitron id of the customer. */
    customer: ChannelCustomer,
    /** Omnitron id of the shipping address. */
    shippingAddress: ChannelAddress,
    /** Omnitron id of the billing address. */
    billingAddress: ChannelAddress,
    /** ISO 4217 currency code, such as `TRY`. */
    currency: text(8).min(1),
    /** Order total, as a decimal string. */
    amount: NonNegativeDecimalString,
    /** Shipping cost, as a decimal string. */
    shippingAmount: NonNegativeDecimalString,
    /** Tax rate of the shipping cost, in percent. */
    shippingTaxRate: NonNegativeDecimalString,
    /** Discount, as a decimal string. */
    discountAmount: NonNegativeDecimalString.optional(),
    /** Shipping cost after discounts, as a decimal string. */
    netShippingAmount: NonNegativeDecimalString.optional(),
    /** The marketplace's cargo company code; matched to an Omnitron cargo company's `erp_code`. */
    cargoCompany: text(128).min(1),
    /** When the customer placed the order. */
    createdAt: IsoDateTime,
    /** Omnitron status code ({@link OrderStatus}); defaults to approved (`400`). */
    status: text(16).min(1).optional(),
    /** Delivery type, if the marketplace has one. */
    deliveryType: text(64).optional(),
    /** Cargo tracking number. */
    trackingNumber: text(256).optional(),
    /** The cargo company's shipment code. */
    carrierShippingCode: text(256).optional(),
    /** Whether it is gift-wrapped. */
    hasGiftBox: z.boolean().optional(),
    /** Gift note. */
    giftBoxNote: text(160).optional(),
    /** Order notes. */
    notes: text(320).optional(),
    /** Shipping option. */
    shippingOptionSlug: text(128).optional(),
    /** Language of the order. */
    languageCode: text(16).optional(),
    /** Client type (`default` unless the marketplace says). */
    clientType: text(32).optional(),
    /** The buyer's IP address, if known. */
    remoteAddr: text(64).optional(),
    /** Anything else worth keeping. */
    extraField: ChannelExtraField.optional(),
    /** Its order items, one per unit. */
    items: z.array(ChannelOrderItem).min(1, 'an order needs at least one item').max(1000),
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    order.items.forEach((item, index) => {
      if (seen.has(item.remoteId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'remoteId'],
          message: `duplicate item remote id "${item.remoteId}"; use quantity for several units`,
        });
      }
      seen.add(item.remoteId);
    });
  });
/** A new order as the marketplace sends it. */
export type ChannelOrder = z.infer<typeof ChannelOrder>;
/** What a channel adapter may yield for an order before defaults are applied. */
export type ChannelOrderInput = z.input<typeof ChannelOrder>;

/** An order in Omnitron. */
export const Order = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** The order number. */
  number: z.string(),
  /** Omnitron status code ({@link OrderStatus}); any string, so a code newer than this SDK still reads. */
  status: z.string(),
  /** Omnitron id of the customer. */
  customer: OmnitronId.nullable(),
  /** Order total, as a decimal string. */
  amount: DecimalString,
  /** Currency code, lower case as Omnitron keeps it. */
  currency: z.string(),
  /** Omnitron id of the cargo company. */
  cargoCompany: OmnitronId.nullable(),
  /** Holds `id`: the marketplace's order id. */
  extraField: ExtraField,
  /** When it last changed. */
  modifiedDate: z.string(),
});
/** An order in Omnitron. */
export type Order = z.infer<typeof Order>;

/** An order item in Omnitron: one unit of one order line. */
export const OrderItem = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Omnitron id of the order. */
  order: OmnitronId,
  /** Omnitron id of the product. */
  product: OmnitronId,
  /** Omnitron status code ({@link OrderStatus}); any string, so a code newer than this SDK still reads. */
  status: z.string(),
  /** Unit price, as a decimal string. */
  price: DecimalString,
  /** Invoice number, once invoiced. */
  invoiceNumber: z.string().nullable(),
  /** Invoice date, once invoiced. */
  invoiceDate: z.string().nullable(),
  /** Cargo tracking number. */
  trackingNumber: z.string().nullable(),
  /** Holds `id`: the marketplace's order line id. */
  extraField: ExtraField,
  /** When it last changed. */
  modifiedDate: z.string(),
});
/** An order item in Omnitron. */
export type OrderItem = z.infer<typeof OrderItem>;

/** One order item to create, with Omnitron ids resolved. */
export interface OrderItemCreate {
  /** Omnitron id of the product. */
  product: number;
  /** Omnitron status code. */
  status: string;
  /** Unit price, as a decimal string. */
  price: string;
  /** Price before discounts, as a decimal string. */
  retailPrice: string;
  /** Currency of the price. */
  priceCurrency: string;
  /** Tax rate in percent, as a decimal string. */
  taxRate: string;
  /** Discount, as a decimal string. */
  discountAmount: string;
  /** Omnitron price list id. */
  priceList?: number;
  /** Omnitron stock list id. */
  stockList?: number;
  /** Cargo tracking number. */
  trackingNumber?: string;
  /** The cargo company's shipment code. */
  carrierShippingCode?: string;
  /** Estimated delivery date. */
  estimatedDeliveryDate?: string;
  /** Product attributes of the line. */
  attributes: ExtraField;
  /** Always carries `id`, the marketplace's line id. */
  extraField: ExtraField;
}

/** An order to create in Omnitron, with customer, addresses, cargo company and products resolved to ids. */
export interface OrderCreate {
  /** The order number. */
  number: string;
  /** Omnitron status code. */
  status: string;
  /** Omnitron id of the customer. */
  customer: number;
  /** Omnitron id of the shipping address. */
  shippingAddress: number;
  /** Omnitron id of the billing address. */
  billingAddress: number;
  /** Omnitron id of the cargo company. */
  cargoCompany: number;
  /** Currency code, lower case as Omnitron keeps it. */
  currency: string;
  /** Order total, as a decimal string. */
  amount: string;
  /** Shipping cost, as a decimal string. */
  shippingAmount: string;
  /** Tax rate of the shipping cost, in percent. */
  shippingTaxRate: string;
  /** Discount, as a decimal string. */
  discountAmount: string;
  /** Shipping cost after discounts, as a decimal string. */
  netShippingAmount: string;
  /** When the customer placed it (ISO 8601). */
  datePlaced: string;
  /** Delivery type, if the marketplace has one. */
  deliveryType?: string;
  /** Cargo tracking number. */
  trackingNumber?: string;
  /** The cargo company's shipment code. */
  carrierShippingCode?: string;
  /** Whether it is gift-wrapped. */
  hasGiftBox: boolean;
  /** Gift note. */
  giftBoxNote: string;
  /** Order notes. */
  notes: string;
  /** Shipping option. */
  shippingOptionSlug: string;
  /** Language of the order. */
  languageCode: string;
  /** Client type (`default` unless the marketplace says). */
  clientType: string;
  /** The buyer's IP address, if known. */
  remoteAddr?: string;
  /** Always carries `id`, the marketplace's order id. */
  extraField: ExtraField;
  /** Its order items, one per unit. */
  items: OrderItemCreate[];
}

/** The marketplace id kept on an Omnitron order or order item (`extra_field.id`), if any. */
export function remoteIdOf(object: { extraField: ExtraField }): string | null {
  const id = object.extraField.id;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : null;
}
