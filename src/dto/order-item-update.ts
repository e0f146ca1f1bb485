import { z } from 'zod';
import { ChannelExtraField, type ExtraField, IsoDateTime, RemoteId } from './common.js';

/**
 * A change to one order line on the marketplace (`getUpdatedOrderItems`). Only fields present are
 * applied; `null` clears a field. `extraField` is merged into the stored one.
 */
export const OrderItemUpdate = z.object({
  /** Remote id of the order line; every Omnitron unit of the line is updated. */
  remoteId: RemoteId,
  /** The order's remote id, for logs. */
  orderRemoteId: RemoteId.optional(),
  /** Omnitron status code, such as `550` for delivered. */
  status: z.string().trim().min(1).max(16).optional(),
  /** Invoice number; `null` clears it. */
  invoiceNumber: z.string().trim().max(128).nullable().optional(),
  /** Invoice date; `null` clears it. */
  invoiceDate: IsoDateTime.nullable().optional(),
  /** Cargo tracking number; `null` clears it. */
  trackingNumber: z.string().trim().max(256).nullable().optional(),
  /** Fields to merge into the stored extra field. */
  extraField: ChannelExtraField.optional(),
});
/** A change to one order line on the marketplace. */
export type OrderItemUpdate = z.infer<typeof OrderItemUpdate>;
/** What a channel adapter may yield before defaults are applied. */
export type OrderItemUpdateInput = z.input<typeof OrderItemUpdate>;

/** The fields of an Omnitron order item a flow may change. */
export interface OrderItemPatch {
  /** New Omnitron status code. */
  status?: string;
  /** Invoice number; `null` clears it. */
  invoiceNumber?: string | null;
  /** Invoice date; `null` clears it. */
  invoiceDate?: string | null;
  /** Cargo tracking number; `null` clears it. */
  trackingNumber?: string | null;
  /** Fields to merge into the stored extra field. */
  extraField?: ExtraField;
}
