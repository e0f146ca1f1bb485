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
 *
 * @group Data
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
/**
 * One of Omnitron's order and order-item status codes, such as `"400"`; see {@link OrderStatus}.
 *
 * @group Data
 */
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/**
 * Omnitron's status codes for order items: the same list as {@link OrderStatus}, under the name an
 * order-line update reads best with.
 *
 * @group Data
 */
export const OrderItemStatus: typeof OrderStatus = OrderStatus;
/**
 * One of Omnitron's order-item status codes; see {@link OrderStatus}.
 *
 * @group Data
 */
export type OrderItemStatus = OrderStatus;

/**
 * One order line as the marketplace sends it, on a channel order's `items`. One line per marketplace line,
 * with its `quantity`: Omnitron keeps one order item per unit, and all of them are linked to the line's
 * `remoteId`.
 *
 * @group Data
 */
export const ChannelOrderItem = z.object({
  /**
   * The **marketplace** id of this line, such as `"4711-1"`; unique within the order. Cancels
   * (`CancelOrderInput.cancelItems`), line updates (`OrderItemUpdateInput.remoteId`) and
   * cancellation requests (`ChannelCancellationRequestInput.orderItem`) name the line by it, and
   * every Omnitron unit of the line keeps it in its `extra_field.id`. Keep it stable.
   */
  remoteId: RemoteId,
  /**
   * The **marketplace** id of the product (SKU, barcode or listing id, as the channel's product sync linked
   * it to an Omnitron product). An id with no link fails the order with a `ProductNotFoundError`.
   */
  product: RemoteId,
  /** How many units, 1 to 10 000; defaults to 1. Each unit becomes one Omnitron order item. */
  quantity: z.number().int().min(1).max(10_000).default(1),
  /** Price of one unit in `priceCurrency`, as a decimal string such as `"249.90"`. */
  price: NonNegativeDecimalString,
  /** Price of one unit before discounts, as a decimal string; defaults to `price`. */
  retailPrice: NonNegativeDecimalString.optional(),
  /** Tax rate in percent, as a decimal string such as `"20"`. */
  taxRate: NonNegativeDecimalString,
  /** ISO 4217 code of the price, such as `TRY`; defaults to the order's `currency`. Stored lower case. */
  priceCurrency: text(8).min(1).optional(),
  /** Discount, as a decimal string; every unit of the line carries it. Defaults to `"0"`. */
  discountAmount: NonNegativeDecimalString.optional(),
  /** Omnitron status code of the units ({@link OrderStatus}); defaults to approved (`"400"`). */
  status: text(16).min(1).optional(),
  /** **Omnitron's** id of the price list; left out, Omnitron uses the channel catalog's. */
  priceList: OmnitronId.optional(),
  /** **Omnitron's** id of the stock list; left out, Omnitron uses the channel catalog's. */
  stockList: OmnitronId.optional(),
  /** Cargo tracking number of the line's shipment. */
  trackingNumber: text(256).optional(),
  /** The cargo company's shipment code. */
  carrierShippingCode: text(256).optional(),
  /** Estimated delivery date: an ISO 8601 date-time with offset, or a `Date`. */
  estimatedDeliveryDate: IsoDateTime.optional(),
  /** Product attributes of the line as JSON, such as `{ "size": "M" }`; kept as each unit's `attributes`. */
  attributes: ChannelExtraField.optional(),
  /**
   * Anything else worth keeping: JSON data, kept as each unit's `extra_field`. Its `id` key is always set to
   * `remoteId`, so leave `id` out.
   */
  extraField: ChannelExtraField.optional(),
});
/**
 * One order line as the flow reads it (defaults applied: `quantity` is always set, dates are ISO strings).
 * What an adapter writes for a line is the element type of {@link ChannelOrderInput.items}.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelOrderItem = z.infer<typeof ChannelOrderItem>;

/**
 * A new order as the marketplace sends it: what a channel adapter yields from `getOrders`. Everything is
 * validated before a flow touches Omnitron; a failure names the field.
 *
 * Ids: `remoteId` (of the order and of each line) and `product` are **marketplace** ids; `priceList` and
 * `stockList` of a line are **Omnitron's**. Money is a decimal string in `currency`; dates are ISO 8601.
 *
 * Limits: the flows first copy each yielded item as JSON would read it, within `CHANNEL_ITEM_LIMITS`
 * (64 levels, 16 MiB), so a cycle, a `BigInt`, a getter, `toJSON` or proxy that throws makes that item
 * fail with an `InvalidPayloadError`, never the run. Each `extraField` and `attributes` must also stay
 * within `EXTRA_FIELD_LIMITS`: 32 levels of nesting and 1 MiB as JSON.
 *
 * @group Data
 */
export const ChannelOrder = z
  .object({
    /**
     * The **marketplace** id of the order, such as `"4711"`. Omnitron links the order to it (and keeps it in
     * the order's `extra_field.id`); cancels name the order by it (`CancelOrderInput.order`), and
     * `sendUpdatedOrders` hands it back as `orders[i].remoteId`. Keep it stable.
     */
    remoteId: RemoteId,
    /**
     * The order number shown to people, such as `"MP-2024-000123"` (at most 128 characters). Omnitron keeps
     * it as the order's `number`, unique per channel: an order yielded again is recognised by it and not
     * created twice. May equal `remoteId` when the marketplace has only one.
     */
    number: RemoteId.max(128, 'must be at most 128 characters'),
    /**
     * The buyer. Matched to an Omnitron customer by email or phone number (the channel's
     * `CUSTOMER_IDENTIFIER_FIELD`), and created when there is none.
     */
    customer: ChannelCustomer,
    /** Where the order is delivered. Stored once per customer and content. */
    shippingAddress: ChannelAddress,
    /** Where the invoice goes; often the shipping address again. Stored once per customer and content. */
    billingAddress: ChannelAddress,
    /** ISO 4217 currency code, such as `TRY`; stored lower case, as Omnitron keeps it. */
    currency: text(8).min(1),
    /** Order total in `currency`, as a decimal string such as `"1249.90"`. */
    amount: NonNegativeDecimalString,
    /** Shipping cost in `currency`, as a decimal string such as `"29.90"` (`"0"` for free shipping). */
    shippingAmount: NonNegativeDecimalString,
    /** Tax rate of the shipping cost in percent, as a decimal string such as `"20"`. */
    shippingTaxRate: NonNegativeDecimalString,
    /** Discount on the order in `currency`, as a decimal string; defaults to `"0"`. */
    discountAmount: NonNegativeDecimalString.optional(),
    /** Shipping cost after discounts, as a decimal string; defaults to `shippingAmount`. */
    netShippingAmount: NonNegativeDecimalString.optional(),
    /**
     * The marketplace's cargo company code, such as `"yurtici"`: matched to the `erpCode` of an Omnitron
     * `CargoCompany`. An unknown code fails the order with a `CargoCompanyNotFoundError`.
     */
    cargoCompany: text(128).min(1),
    /**
     * When the customer placed the order: an ISO 8601 date-time with offset, such as
     * `"2024-10-03T10:30:00+03:00"`, or a `Date`. Omnitron's `date_placed`.
     */
    createdAt: IsoDateTime,
    /** Omnitron status code of the new order ({@link OrderStatus}); defaults to approved (`"400"`). */
    status: text(16).min(1).optional(),
    /** Delivery type, if the marketplace has one, such as `standard`. */
    deliveryType: text(64).optional(),
    /** Cargo tracking number of the order's shipment. */
    trackingNumber: text(256).optional(),
    /** The cargo company's shipment code. */
    carrierShippingCode: text(256).optional(),
    /** Whether it is gift-wrapped; defaults to `false`. */
    hasGiftBox: z.boolean().optional(),
    /** Gift note (at most 160 characters); defaults to `''`. */
    giftBoxNote: text(160).optional(),
    /** Order notes from the buyer (at most 320 characters); defaults to `''`. */
    notes: text(320).optional(),
    /** Slug of an Omnitron shipping option; defaults to `''`. */
    shippingOptionSlug: text(128).optional(),
    /** Language code of the order, such as `tr-tr`; defaults to `''`. */
    languageCode: text(16).optional(),
    /** Client type; defaults to `default`. */
    clientType: text(32).optional(),
    /** The buyer's IP address, if the marketplace tells it. */
    remoteAddr: text(64).optional(),
    /**
     * Anything else worth keeping: JSON data, kept as the order's `extra_field`. Its `id` key is always set
     * to `remoteId`, so leave `id` out.
     */
    extraField: ChannelExtraField.optional(),
    /**
     * Its lines (1 to 1000), one per marketplace line with its `quantity`; line `remoteId`s must be unique
     * within the order.
     */
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
/**
 * A new order as the flow reads it (defaults applied: every line's `quantity` is set, dates are ISO strings).
 *
 * @interface
 *
 * @group Data
 */
export type ChannelOrder = z.infer<typeof ChannelOrder>;
/**
 * What a channel adapter yields from `getOrders` (as `data` of a {@link ChannelItem}), before defaults are
 * applied.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelOrderInput = z.input<typeof ChannelOrder>;

/**
 * An order in Omnitron.
 *
 * @group Data
 */
export const Order = z.object({
  /** **Omnitron's** id of the order. */
  id: OmnitronId,
  /** The order number, as imported ({@link ChannelOrderInput.number}). */
  number: z.string(),
  /**
   * Omnitron status code ({@link OrderStatus}), such as `"500"`; any string, so a code newer than this SDK
   * still reads.
   */
  status: z.string(),
  /** **Omnitron's** id of the customer, or `null`. */
  customer: OmnitronId.nullable(),
  /** Order total in `currency`, as a decimal string such as `"1249.90"`. */
  amount: DecimalString,
  /** ISO 4217 currency code, lower case as Omnitron keeps it, such as `try`. */
  currency: z.string(),
  /** **Omnitron's** id of the cargo company, or `null`. */
  cargoCompany: OmnitronId.nullable(),
  /** The order's `extra_field`; its `id` holds the **marketplace** id of the order. */
  extraField: ExtraField,
  /** When it last changed in Omnitron (ISO 8601). */
  modifiedDate: z.string(),
});
/**
 * An order in Omnitron, as `sendUpdatedOrders` and `checkOrders` receive it.
 *
 * @interface
 *
 * @group Data
 */
export type Order = z.infer<typeof Order>;

/**
 * An order item in Omnitron: one unit of one order line.
 *
 * @group Data
 */
export const OrderItem = z.object({
  /** **Omnitron's** id of the order item (one unit). */
  id: OmnitronId,
  /** **Omnitron's** id of its order. */
  order: OmnitronId,
  /** **Omnitron's** id of the product. */
  product: OmnitronId,
  /**
   * Omnitron status code ({@link OrderStatus}), such as `"500"`; any string, so a code newer than this SDK
   * still reads.
   */
  status: z.string(),
  /** Price of the unit, as a decimal string such as `"249.90"`. */
  price: DecimalString,
  /** Invoice number once invoiced, else `null`. */
  invoiceNumber: z.string().nullable(),
  /** Invoice date (ISO 8601) once invoiced, else `null`. */
  invoiceDate: z.string().nullable(),
  /** Cargo tracking number, or `null`. */
  trackingNumber: z.string().nullable(),
  /**
   * The unit's `extra_field`; its `id` holds the **marketplace** id of the order line the unit belongs to
   *. Units of one line share it.
   */
  extraField: ExtraField,
  /** When it last changed in Omnitron (ISO 8601). */
  modifiedDate: z.string(),
});
/**
 * An order item in Omnitron: one unit of one order line.
 *
 * @interface
 *
 * @group Data
 */
export type OrderItem = z.infer<typeof OrderItem>;

/**
 * One order item to create, with Omnitron ids resolved.
 *
 * @group Data
 */
export interface OrderItemCreate {
  /** **Omnitron's** id of the product. */
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
  /** **Omnitron's** id of the price list. */
  priceList?: number;
  /** **Omnitron's** id of the stock list. */
  stockList?: number;
  /** Cargo tracking number. */
  trackingNumber?: string;
  /** The cargo company's shipment code. */
  carrierShippingCode?: string;
  /** Estimated delivery date. */
  estimatedDeliveryDate?: string;
  /** Product attributes of the line. */
  attributes: ExtraField;
  /** Always carries `id`: the **marketplace** id of the line. */
  extraField: ExtraField;
}

/**
 * An order to create in Omnitron, with customer, addresses, cargo company and products resolved to ids.
 *
 * @group Data
 */
export interface OrderCreate {
  /** The order number. */
  number: string;
  /** Omnitron status code. */
  status: string;
  /** **Omnitron's** id of the customer. */
  customer: number;
  /** **Omnitron's** id of the shipping address. */
  shippingAddress: number;
  /** **Omnitron's** id of the billing address. */
  billingAddress: number;
  /** **Omnitron's** id of the cargo company. */
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
  /** Always carries `id`: the **marketplace** id of the order. */
  extraField: ExtraField;
  /** Its order items, one per unit. */
  items: OrderItemCreate[];
}

/**
 * The marketplace id kept on an Omnitron order or order item (`extra_field.id`), if any.
 *
 * @group Data
 */
export function remoteIdOf(object: { extraField: ExtraField }): string | null {
  const id = object.extraField.id;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : null;
}
