import { z } from 'zod';
import { ChannelAddress } from './address.js';
import { ChannelExtraField, IsoDateTime, NonNegativeDecimalString, OmnitronId, RemoteId } from './common.js';
import { ChannelCustomer } from './customer.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

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
  /** Omnitron status code of the units (`OrderStatus`); defaults to approved (`"400"`). */
  status: text(16).min(1).optional(),
  /** **Omnitron's** id of the price list; left out, Omnitron uses the channel catalog's. */
  priceList: OmnitronId.optional(),
  /** **Omnitron's** id of the stock list; left out, Omnitron uses the channel catalog's. */
  stockList: OmnitronId.optional(),
  /** Cargo tracking number of the line's shipment. */
  trackingNumber: text(256).optional(),
  /** The cargo company's shipment code. */
  carrierShippingCode: text(256).optional(),
  /**
   * The line's own carrier, when the order ships in several packages with different cargo companies: a
   * marketplace cargo company code like the order's `cargoCompany` (matched to the `erpCode` of an Omnitron
   * `CargoCompany`), kept as each unit's `shipping_company`. Left out, the line has no carrier of its own
   * and the order's applies. An unknown code (or a company without a shipping company in Omnitron) fails
   * the order with a `CargoCompanyNotFoundError` naming the line.
   */
  cargoCompany: text(128).min(1).optional(),
  /**
   * The shipment (tracking) code of the line's package, kept as each unit's `shipment_code`, the field
   * Omnitron's API reference names for it; defaults to `trackingNumber`.
   */
  shipmentCode: text(256).optional(),
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
    /** Omnitron status code of the new order (`OrderStatus`); defaults to approved (`"400"`). */
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
