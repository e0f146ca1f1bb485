import { z } from 'zod';
import { ChannelAddress } from './address.js';
import {
  DecimalString,
  ExtraField,
  IsoDateTime,
  NonNegativeDecimalString,
  OmnitronId,
  RemoteId,
} from './common.js';
import { ChannelCustomer } from './customer.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** Omnitron order and order-item status codes the flows use. */
export const OrderStatus = {
  /** Cancellation requested, not yet done. */
  cancellationWaiting: '50',
  /** Cancelled. */
  cancelled: '100',
  /** Waiting. */
  waiting: '200',
  /** Approved: the default for a new marketplace order. */
  approved: '400',
} as const;

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
  discountAmount: NonNegativeDecimalString.optional(),
  /** Omnitron status code; defaults to approved (`400`). */
  status: text(16).min(1).optional(),
  /** Omnitron price list id; defaults to the catalog's. */
  priceList: OmnitronId.optional(),
  /** Omnitron stock list id; defaults to the catalog's. */
  stockList: OmnitronId.optional(),
  trackingNumber: text(256).optional(),
  carrierShippingCode: text(256).optional(),
  estimatedDeliveryDate: IsoDateTime.optional(),
  attributes: ExtraField.optional(),
  extraField: ExtraField.optional(),
});
/** One order line as the marketplace sends it. */
export type ChannelOrderItem = z.infer<typeof ChannelOrderItem>;

/**
 * A new order as the marketplace sends it: what a channel adapter yields from `getOrders`. Everything is
 * validated before a flow touches Omnitron; a failure names the field.
 */
export const ChannelOrder = z
  .object({
    /** The marketplace's id of the order; Omnitron keeps it as the order's remote id. */
    remoteId: RemoteId,
    /** The order number shown to people; unique per channel in Omnitron. */
    number: RemoteId.max(128, 'must be at most 128 characters'),
    customer: ChannelCustomer,
    shippingAddress: ChannelAddress,
    billingAddress: ChannelAddress,
    /** ISO 4217 currency code, such as `TRY`. */
    currency: text(8).min(1),
    /** Order total, as a decimal string. */
    amount: NonNegativeDecimalString,
    shippingAmount: NonNegativeDecimalString,
    shippingTaxRate: NonNegativeDecimalString,
    discountAmount: NonNegativeDecimalString.optional(),
    netShippingAmount: NonNegativeDecimalString.optional(),
    /** The marketplace's cargo company code; matched to an Omnitron cargo company's `erp_code`. */
    cargoCompany: text(128).min(1),
    /** When the customer placed the order. */
    createdAt: IsoDateTime,
    /** Omnitron status code; defaults to approved (`400`). */
    status: text(16).min(1).optional(),
    deliveryType: text(64).optional(),
    trackingNumber: text(256).optional(),
    carrierShippingCode: text(256).optional(),
    hasGiftBox: z.boolean().optional(),
    giftBoxNote: text(160).optional(),
    notes: text(320).optional(),
    shippingOptionSlug: text(128).optional(),
    languageCode: text(16).optional(),
    clientType: text(32).optional(),
    remoteAddr: text(64).optional(),
    extraField: ExtraField.optional(),
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
  id: OmnitronId,
  number: z.string(),
  status: z.string(),
  customer: OmnitronId.nullable(),
  amount: DecimalString,
  currency: z.string(),
  cargoCompany: OmnitronId.nullable(),
  /** Holds `id`: the marketplace's order id. */
  extraField: ExtraField,
  modifiedDate: z.string(),
});
/** An order in Omnitron. */
export type Order = z.infer<typeof Order>;

/** An order item in Omnitron: one unit of one order line. */
export const OrderItem = z.object({
  id: OmnitronId,
  order: OmnitronId,
  product: OmnitronId,
  status: z.string(),
  price: DecimalString,
  invoiceNumber: z.string().nullable(),
  invoiceDate: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  /** Holds `id`: the marketplace's order line id. */
  extraField: ExtraField,
  modifiedDate: z.string(),
});
/** An order item in Omnitron. */
export type OrderItem = z.infer<typeof OrderItem>;

/** One order item to create, with Omnitron ids resolved. */
export interface OrderItemCreate {
  product: number;
  status: string;
  price: string;
  retailPrice: string;
  priceCurrency: string;
  taxRate: string;
  discountAmount: string;
  priceList?: number;
  stockList?: number;
  trackingNumber?: string;
  carrierShippingCode?: string;
  estimatedDeliveryDate?: string;
  attributes: ExtraField;
  /** Always carries `id`, the marketplace's line id. */
  extraField: ExtraField;
}

/** An order to create in Omnitron, with customer, addresses, cargo company and products resolved to ids. */
export interface OrderCreate {
  number: string;
  status: string;
  customer: number;
  shippingAddress: number;
  billingAddress: number;
  cargoCompany: number;
  currency: string;
  amount: string;
  shippingAmount: string;
  shippingTaxRate: string;
  discountAmount: string;
  netShippingAmount: string;
  datePlaced: string;
  deliveryType?: string;
  trackingNumber?: string;
  carrierShippingCode?: string;
  hasGiftBox: boolean;
  giftBoxNote: string;
  notes: string;
  shippingOptionSlug: string;
  languageCode: string;
  clientType: string;
  remoteAddr?: string;
  /** Always carries `id`, the marketplace's order id. */
  extraField: ExtraField;
  items: OrderItemCreate[];
}

/** The marketplace id kept on an Omnitron order or order item (`extra_field.id`), if any. */
export function remoteIdOf(object: { extraField: ExtraField }): string | null {
  const id = object.extraField.id;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : null;
}
