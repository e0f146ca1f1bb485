import { z } from 'zod';
import { ChannelExtraField, type ExtraField, IsoDateTime, RemoteId } from './common.js';

/**
 * A change to one order line on the marketplace (`getUpdatedOrderItems`). Only fields present are
 * applied; `null` clears a field. `extraField` is merged into the stored one.
 *
 * @group Data
 */
export const OrderItemUpdate = z.object({
  /**
   * The **marketplace** id of the order line (the `ChannelOrderItem.remoteId` it was imported with);
   * every Omnitron unit of the line is updated.
   */
  remoteId: RemoteId,
  /**
   * The **marketplace** id of the line's order. Optional and informational: the line is found by `remoteId`
   * alone.
   */
  orderRemoteId: RemoteId.optional(),
  /** New Omnitron status code (`OrderItemStatus`), such as `"550"` for delivered; absent leaves it. */
  status: z.string().trim().min(1).max(16).optional(),
  /** Invoice number, such as `GIB2024000012345`; `null` clears it, absent leaves it. */
  invoiceNumber: z.string().trim().max(128).nullable().optional(),
  /** Invoice date: an ISO 8601 date-time with offset, or a `Date`; `null` clears it, absent leaves it. */
  invoiceDate: IsoDateTime.nullable().optional(),
  /** Cargo tracking number; `null` clears it, absent leaves it. */
  trackingNumber: z.string().trim().max(256).nullable().optional(),
  /**
   * The line's own carrier, a marketplace cargo company code like `ChannelOrderInput.cargoCompany` (for a
   * package handed to another cargo company); `null` clears it, absent leaves it. An unknown code fails
   * the line with a `CargoCompanyNotFoundError`.
   */
  cargoCompany: z.string().trim().min(1).max(128).nullable().optional(),
  /**
   * The shipment (tracking) code of the line's package (Omnitron's `shipment_code`); `null` clears it.
   * Absent, it follows `trackingNumber` when that is given, else is left.
   */
  shipmentCode: z.string().trim().max(256).nullable().optional(),
  /**
   * JSON fields to merge into the stored `extra_field` of each unit. Leave out an `id` key: the stored one
   * holds the line's marketplace id.
   */
  extraField: ChannelExtraField.optional(),
});
/**
 * A change to one order line on the marketplace, as the flow reads it (dates converted to ISO strings).
 *
 * @interface
 *
 * @group Data
 */
export type OrderItemUpdate = z.infer<typeof OrderItemUpdate>;
/**
 * What a channel adapter yields from `getUpdatedOrderItems`.
 *
 * @interface
 *
 * @group Data
 */
export type OrderItemUpdateInput = z.input<typeof OrderItemUpdate>;

/**
 * The fields of an Omnitron order item a flow may change.
 *
 * @group Data
 */
export interface OrderItemPatch {
  /** New Omnitron status code, such as `"550"`. */
  status?: string;
  /** Invoice number; `null` clears it. */
  invoiceNumber?: string | null;
  /** Invoice date; `null` clears it. */
  invoiceDate?: string | null;
  /** Cargo tracking number; `null` clears it. */
  trackingNumber?: string | null;
  /** The unit's own carrier, as Omnitron's `shipping_company` (such as `yurtici`); `null` clears it. */
  shippingCompany?: string | null;
  /** The shipment (tracking) code of the unit's package; `null` clears it. */
  shipmentCode?: string | null;
  /** Fields to merge into the stored extra field. */
  extraField?: ExtraField;
}
