import { z } from 'zod';
import { literalEnum, NonNegativeDecimalString, OmnitronId, RemoteId, ResponseStatus } from './common.js';

/** A cancellation the marketplace reports for an order (`getCancelledOrders`). */
export const CancelOrder = z
  .object({
    /** The order's remote id, as imported. */
    order: RemoteId,
    /** Remote ids of the cancelled lines; every Omnitron unit of each line is cancelled. */
    cancelItems: z.array(RemoteId).min(1, 'needs at least one item to cancel'),
    /** Marketplace reason code per line remote id. */
    reasons: z.record(z.string(), z.string().min(1)).default({}),
    /** Whether the shipping cost is refunded too. */
    isCargoRefund: z.boolean().default(false),
    /** An amount to refund regardless of item prices, as a decimal string. */
    forcedRefundAmount: NonNegativeDecimalString.optional(),
    /** The number of the refund invoice, if the marketplace issued one. */
    refundInvoiceNumber: z.string().max(128).optional(),
  })
  .superRefine((cancel, ctx) => {
    for (const key of Object.keys(cancel.reasons)) {
      if (!cancel.cancelItems.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasons', key],
          message: 'gives a reason for an item that is not cancelled',
        });
      }
    }
  });
/** A cancellation the marketplace reports for an order. */
export type CancelOrder = z.infer<typeof CancelOrder>;
/** What a channel adapter may yield for a cancellation before defaults are applied. */
export type CancelOrderInput = z.input<typeof CancelOrder>;

/** The body of an Omnitron order cancel, with ids resolved. */
export interface OrderCancelRequest {
  /** Omnitron order item ids. */
  cancelItems: number[];
  /** Omnitron reason id per Omnitron order item id. */
  reasons: Record<number, number>;
  /** Whether the shipping cost is refunded too. */
  isCargoRefund: boolean;
  /** An amount to refund regardless of item prices, as a decimal string. */
  forcedRefundAmount?: string;
  /** The number of the refund invoice, if the marketplace issued one. */
  refundInvoiceNumber?: string;
}

/** Cancel or return. */
export const CancellationType = literalEnum(['cancel', 'refund']);
/** Cancel or return. */
export type CancellationType = z.infer<typeof CancellationType>;

/** A cancellation or return request opened on the marketplace (`getCancellationRequests`). */
export const ChannelCancellationRequest = z.object({
  /** The marketplace's id of the request. */
  remoteId: RemoteId,
  /** Remote id of the order line it concerns. */
  orderItem: RemoteId,
  /** Marketplace reason code; mapped through the channel's `reason_mapping`. */
  reason: z.string().trim().min(1),
  /** The buyer's or merchant's note. */
  description: z.string().max(1000).default(''),
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType.default('cancel'),
});
/** A cancellation or return request opened on the marketplace. */
export type ChannelCancellationRequest = z.infer<typeof ChannelCancellationRequest>;
/** What a channel adapter may yield for a cancellation request before defaults are applied. */
export type ChannelCancellationRequestInput = z.input<typeof ChannelCancellationRequest>;

/** A cancellation request in Omnitron. */
export const CancellationRequest = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Omnitron id of the order item it concerns. */
  orderItem: OmnitronId,
  /** Omnitron id of the cancellation reason. */
  reason: OmnitronId,
  /** The marketplace's id of the request. */
  remoteId: z.string().nullable(),
  /** The buyer's or merchant's note. */
  description: z.string(),
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType,
  /** `waiting`, `confirmed`, `waiting_approval`, `approved`, `rejected`, `completed`, … */
  status: z.string(),
  /** When it last changed. */
  modifiedDate: z.string(),
});
/** A cancellation request in Omnitron. */
export type CancellationRequest = z.infer<typeof CancellationRequest>;

/** A cancellation request to create in Omnitron, with ids resolved. */
export interface CancellationRequestCreate {
  /** Omnitron id of the order item it concerns. */
  orderItem: number;
  /** Omnitron id of the cancellation reason. */
  reason: number;
  /** The marketplace's id of the request. */
  remoteId: string;
  /** The buyer's or merchant's note. */
  description: string;
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType;
}

/**
 * A cancellation request changed in Omnitron (approved, rejected, completed…), in the marketplace's terms,
 * for `updateCancellationRequest`.
 */
export interface ChannelCancellationRequestUpdate {
  /** The marketplace's id of the request. */
  remoteId: string;
  /** Remote id of the order line. */
  orderItem: string;
  /** The marketplace reason code. */
  reason: string;
  /** Where the request stands. */
  status: string;
  /** The buyer's or merchant's note. */
  description: string;
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType;
  /** The Omnitron request, for anything else the marketplace needs. */
  omnitron: CancellationRequest;
}

/** The marketplace's answer to a cancellation request update. */
export const CancellationRequestUpdateResult = z.object({
  /** Where the request stands. */
  status: ResponseStatus,
  /** Why the marketplace refused it, for `FAIL`. */
  message: z.string().default(''),
});
/** The marketplace's answer to a cancellation request update. */
export type CancellationRequestUpdateResult = z.infer<typeof CancellationRequestUpdateResult>;
/** What a channel adapter may return before defaults are applied. */
export type CancellationRequestUpdateResultInput = z.input<typeof CancellationRequestUpdateResult>;
