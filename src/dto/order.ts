import { z } from 'zod';
import { DecimalString, ExtraField, OmnitronId } from './common.js';

/**
 * An order in Omnitron.
 *
 * @group Data
 */
export const Order = z.object({
  /** **Omnitron's** id of the order. */
  id: OmnitronId,
  /** The order number, as imported (`ChannelOrderInput.number`). */
  number: z.string(),
  /**
   * Omnitron status code (`OrderStatus`), such as `"500"`; any string, so a code newer than this SDK
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
   * Omnitron status code (`OrderStatus`), such as `"500"`; any string, so a code newer than this SDK
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
   * The unit's own carrier, Omnitron's `shipping_company` (such as `yurtici`), or `null` when it has none
   * (the order's cargo company applies). Absent when the integration does not read it.
   */
  shippingCompany: z.string().nullable().optional(),
  /** The shipment (tracking) code of the unit's package, or `null`. Absent when the integration does not read it. */
  shipmentCode: z.string().nullable().optional(),
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
  /** The line's own carrier: the `shippingCompany` of its cargo company (absent: the order's applies). */
  shippingCompany?: string;
  /** The shipment (tracking) code of the line's package. */
  shipmentCode?: string;
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
