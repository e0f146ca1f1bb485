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

/** Cancel or return: the schema of a request's `cancellationType`; {@link CancellationTypes} names its values. */
export const CancellationType = literalEnum(['cancel', 'refund']);
/** Cancel or return. */
export type CancellationType = z.infer<typeof CancellationType>;

/**
 * The values of {@link CancellationType} by name, so an adapter need not spell them. Omnitron does not let
 * one order mix the two: all of its items go the cancel way or all go the return way.
 */
export const CancellationTypes = {
  /** Cancel before shipping: the items never leave the warehouse. */
  cancel: 'cancel',
  /** Return after delivery: the customer sends the items back and is refunded. */
  refund: 'refund',
} as const satisfies Record<string, CancellationType>;

/**
 * Where an Omnitron cancellation or return request stands, as `updateCancellationRequest` receives it.
 * `completed` and `rejected` are final; every other status means the request is still open.
 *
 * Omnitron does not publish the meaning of each status, only their names and the two final ones, so the
 * descriptions of the open statuses are our reading of the names. A request's `status` stays a plain
 * string in the schemas, so a status newer than this SDK still reads.
 */
export const CancellationRequestStatus = {
  /** Opened and not yet looked at: where a request created from the marketplace starts. */
  waiting: 'waiting',
  /** The merchant accepted it in principle; the goods or the refund are still to follow (our reading). */
  confirmed: 'confirmed',
  /** Waiting for a final approval, for instance after returned goods were inspected (our reading). */
  waitingApproval: 'waiting_approval',
  /** Approved: the cancel or refund will be carried out (our reading). */
  approved: 'approved',
  /** Refused: nothing is cancelled or refunded. Final. */
  rejected: 'rejected',
  /** The cancel or return is finished. Final. */
  completed: 'completed',
} as const;
/** One of Omnitron's cancellation-request statuses; see {@link CancellationRequestStatus}. */
export type CancellationRequestStatus =
  (typeof CancellationRequestStatus)[keyof typeof CancellationRequestStatus];

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
  /** Where it stands: one of {@link CancellationRequestStatus}, or a status newer than this SDK. */
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
  /** Where the request stands: see {@link CancellationRequestStatus}; `completed` and `rejected` are final. */
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
