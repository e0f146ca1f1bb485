import { z } from 'zod';
import { literalEnum, NonNegativeDecimalString, OmnitronId, RemoteId, ResponseStatus } from './common.js';

/**
 * A cancellation the marketplace reports for an order (`getCancelledOrders`). Every id in it is a
 * **marketplace** id: the flow finds the Omnitron order and items through the links the import made.
 *
 * @group Data
 */
export const CancelOrder = z
  .object({
    /**
     * The **marketplace** id of the cancellation itself (a cancel or claim id), when it has one. Required
     * with `quantities`: it is how a cancellation listed again is recognised, so its units are not
     * cancelled twice.
     */
    remoteId: RemoteId.optional(),
    /**
     * The **marketplace** id of the order: the `remoteId` it was imported under
     * (`ChannelOrderInput.remoteId`), not its order number and not Omnitron's id.
     */
    order: RemoteId,
    /**
     * The **marketplace** ids of the cancelled lines (each a `ChannelOrderItem.remoteId` of that order);
     * every Omnitron unit of each line is cancelled, unless `quantities` says how many. At least one.
     */
    cancelItems: z.array(RemoteId).min(1, 'needs at least one item to cancel'),
    /**
     * The marketplace's reason code per cancelled line, keyed by the line's **marketplace** id (a key of
     * this map must be one of `cancelItems`). Codes go through the channel's `reason_mapping`; a code it
     * does not map takes the channel's `cancellation_reason_id`, or fails the cancel without one. A line
     * left out takes `cancellation_reason_id`, if set. Defaults to `{}`.
     */
    reasons: z.record(z.string(), z.string().min(1)).default({}),
    /**
     * How many units of a cancelled line are cancelled, keyed by the line's **marketplace** id (a key must
     * be one of `cancelItems`). A line left out has every unit cancelled. A line with a quantity has that
     * many of its units not cancelled yet cancelled, lowest Omnitron id first; each is marked with the
     * cancellation's `remoteId` first (in the unit's `extra_field`), so a cancellation listed again finds
     * its units and cancels nothing more. A quantity above the units still open fails the cancellation.
     */
    quantities: z.record(z.string(), z.number().int().min(1).max(10_000)).optional(),
    /** Whether the shipping cost is refunded too. Defaults to `false`. */
    isCargoRefund: z.boolean().default(false),
    /**
     * An amount to refund regardless of item prices, in the order's currency, as a decimal string such as
     * `"149.90"`.
     */
    forcedRefundAmount: NonNegativeDecimalString.optional(),
    /** The number of the refund invoice, if the marketplace issued one (at most 128 characters). */
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
    for (const key of Object.keys(cancel.quantities ?? {})) {
      if (!cancel.cancelItems.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['quantities', key],
          message: 'gives a quantity for an item that is not cancelled',
        });
      }
    }
    if (cancel.quantities && Object.keys(cancel.quantities).length > 0 && cancel.remoteId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['remoteId'],
        message: 'is needed with quantities, so a cancellation listed again is recognised',
      });
    }
  });
/**
 * A cancellation the marketplace reports for an order, as the flow reads it (defaults applied).
 *
 * @interface
 *
 * @group Data
 */
export type CancelOrder = z.infer<typeof CancelOrder>;
/**
 * What a channel adapter yields from `getCancelledOrders`, before defaults are applied.
 *
 * @interface
 *
 * @group Data
 */
export type CancelOrderInput = z.input<typeof CancelOrder>;

/**
 * The body of an Omnitron order cancel, with ids resolved.
 *
 * @group Data
 */
export interface OrderCancelRequest {
  /** **Omnitron's** ids of the order items to cancel. */
  cancelItems: number[];
  /** **Omnitron's** cancellation reason id per **Omnitron** order item id. */
  reasons: Record<number, number>;
  /** Whether the shipping cost is refunded too. */
  isCargoRefund: boolean;
  /** An amount to refund regardless of item prices, in the order's currency, as a decimal string. */
  forcedRefundAmount?: string;
  /** The number of the refund invoice, if the marketplace issued one. */
  refundInvoiceNumber?: string;
}

/**
 * Cancel or return: the schema of a request's `cancellationType`; {@link CancellationTypes} names its values.
 *
 * @group Data
 */
export const CancellationType = literalEnum(['cancel', 'refund']);
/**
 * Cancel or return.
 *
 * @group Data
 */
export type CancellationType = z.infer<typeof CancellationType>;

/**
 * The values of {@link CancellationType} by name, so an adapter need not spell them. Omnitron does not let
 * one order mix the two: all of its items go the cancel way or all go the return way.
 *
 * @group Data
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
 *
 * @group Data
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
/**
 * One of Omnitron's cancellation-request statuses; see {@link CancellationRequestStatus}.
 *
 * @group Data
 */
export type CancellationRequestStatus =
  (typeof CancellationRequestStatus)[keyof typeof CancellationRequestStatus];

/**
 * A cancellation or return request opened on the marketplace (`getCancellationRequests`).
 *
 * @group Data
 */
export const ChannelCancellationRequest = z.object({
  /**
   * The **marketplace** id of the request (claim, return or cancel request). Omnitron keeps it, so a
   * request yielded again is recognised rather than created twice.
   */
  remoteId: RemoteId,
  /**
   * The **marketplace** id of the order line it concerns (a `ChannelOrderItem.remoteId`). Omnitron holds
   * one item per unit of the line; the request covers `quantity` of them.
   */
  orderItem: RemoteId,
  /**
   * How many units of the line the request covers (default 1), at most the line's quantity. Omnitron gets
   * one cancellation request per unit, on units not cancelled or refunded yet, lowest Omnitron id first.
   */
  quantity: z.number().int().min(1).max(10_000).default(1),
  /**
   * The marketplace's reason code, such as `DAMAGED`; mapped to an Omnitron reason through the channel's
   * `reason_mapping`, else the channel's `cancellation_reason_id`.
   */
  reason: z.string().trim().min(1),
  /** The buyer's or merchant's note (at most 1000 characters). Defaults to `''`. */
  description: z.string().max(1000).default(''),
  /** `cancel` before shipping, `refund` for a return after delivery. Defaults to `cancel`. */
  cancellationType: CancellationType.default('cancel'),
});
/**
 * A cancellation or return request opened on the marketplace, as the flow reads it (defaults applied).
 *
 * @interface
 *
 * @group Data
 */
export type ChannelCancellationRequest = z.infer<typeof ChannelCancellationRequest>;
/**
 * What a channel adapter yields from `getCancellationRequests`, before defaults are applied.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelCancellationRequestInput = z.input<typeof ChannelCancellationRequest>;

/**
 * A cancellation request in Omnitron.
 *
 * @group Data
 */
export const CancellationRequest = z.object({
  /** **Omnitron's** id of the request. */
  id: OmnitronId,
  /** **Omnitron's** id of the order item it concerns. */
  orderItem: OmnitronId,
  /** **Omnitron's** id of the cancellation reason. */
  reason: OmnitronId,
  /** The **marketplace** id of the request, or `null` for a request opened in Omnitron. */
  remoteId: z.string().nullable(),
  /** The buyer's or merchant's note. */
  description: z.string(),
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType,
  /**
   * Where it stands, such as `approved`: one of {@link CancellationRequestStatus}, or a status newer than
   * this SDK.
   */
  status: z.string(),
  /** When it last changed in Omnitron (ISO 8601). */
  modifiedDate: z.string(),
});
/**
 * A cancellation request in Omnitron.
 *
 * @interface
 *
 * @group Data
 */
export type CancellationRequest = z.infer<typeof CancellationRequest>;

/**
 * A cancellation request to create in Omnitron, with ids resolved.
 *
 * @group Data
 */
export interface CancellationRequestCreate {
  /** **Omnitron's** id of the order item it concerns. */
  orderItem: number;
  /** **Omnitron's** id of the cancellation reason. */
  reason: number;
  /** The **marketplace** id of the request. */
  remoteId: string;
  /** The buyer's or merchant's note. */
  description: string;
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType;
}

/**
 * A cancellation request changed in Omnitron (approved, rejected, completed…), in the marketplace's terms,
 * for `updateCancellationRequest`.
 *
 * @group Data
 */
export interface ChannelCancellationRequestUpdate {
  /** The **marketplace** id of the request: the one Omnitron links to it, else the one it holds. */
  remoteId: string;
  /** The **marketplace** id of the order line it concerns. */
  orderItem: string;
  /**
   * Which unit of a request of several units this update is about, as `{ index, of }` (1-based): Omnitron
   * holds one request per unit, and each is updated on its own. `null` for a request of one unit.
   */
  unit: {
    /** Which unit, from 1. */
    index: number;
    /** How many units the marketplace's request covers. */
    of: number;
  } | null;
  /** The marketplace's reason code: the first `reason_mapping` entry that maps to the Omnitron reason. */
  reason: string;
  /**
   * Where the request stands in Omnitron, such as `approved`: see {@link CancellationRequestStatus};
   * `completed` and `rejected` are final.
   */
  status: string;
  /** The buyer's or merchant's note. */
  description: string;
  /** `cancel` before shipping, `refund` for a return. */
  cancellationType: CancellationType;
  /** The request as Omnitron has it (with **Omnitron's** ids), for anything else the marketplace needs. */
  omnitron: CancellationRequest;
}

/**
 * The marketplace's answer to a cancellation request update.
 *
 * @group Data
 */
export const CancellationRequestUpdateResult = z.object({
  /** `SUCCESS` when the marketplace took the update, `FAIL` when it refused it. */
  status: ResponseStatus,
  /** Why the marketplace refused it, for `FAIL`; it goes to the error report. Defaults to `''`. */
  message: z.string().default(''),
});
/**
 * The marketplace's answer to a cancellation request update, as the flow reads it (defaults applied).
 *
 * @interface
 *
 * @group Data
 */
export type CancellationRequestUpdateResult = z.infer<typeof CancellationRequestUpdateResult>;
/**
 * What a channel adapter returns from `updateCancellationRequest` (besides `reports`), before defaults are
 * applied.
 *
 * @interface
 *
 * @group Data
 */
export type CancellationRequestUpdateResultInput = z.input<typeof CancellationRequestUpdateResult>;
