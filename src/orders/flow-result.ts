import type { BatchRequestStatus } from '../dto/batch-request.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import type { ReportCounts } from '../reporting/error-reporter.js';
import type { FlowName } from './flow-names.js';

export type { FlowName } from './flow-names.js';

/**
 * What happened to one item:
 * - `created`: made in Omnitron by this run;
 * - `already_present`: Omnitron had it (a re-run, or an overlap), so nothing was made twice;
 * - `updated`: changed in Omnitron, or accepted by the marketplace;
 * - `unchanged`: nothing differed, so nothing was sent;
 * - `sent`: handed to the marketplace, which answers later;
 * - `ongoing`: the marketplace is still working on it;
 * - `failed`: see `error`.
 *
 * @group Flows
 */
export type ItemStatus =
  | 'created'
  | 'already_present'
  | 'updated'
  | 'unchanged'
  | 'sent'
  | 'ongoing'
  | 'failed';

/**
 * The outcome of one item of a flow.
 *
 * @group Flows
 */
export interface ItemOutcome {
  /**
   * The item as merchants search for it, the same in every flow: the order number for anything about an
   * order (an import, an update, a cancel), the marketplace id of an order line or a cancellation request,
   * or `#<position>` for an item too broken to name. A cancel whose order cannot be found is named by the
   * marketplace id it gave, as its number is not known.
   */
  key: string;
  /** The marketplace's id of the item (the order, line or request), when known. */
  remoteId?: string;
  /** Where it ended. */
  status: ItemStatus;
  /** Omnitron's id of the object, when there is one. */
  omnitronId?: number;
  /** The batch request the item belongs to (useful in `getOrderBatchRequests`, which handles several). */
  batchRequestId?: number;
  /** Why it failed, typed. */
  error?: ChannelAppError;
}

/**
 * How many items ended each way.
 *
 * @group Flows
 */
export interface FlowCounts {
  /** Items read from the marketplace or from Omnitron's feed. */
  fetched: number;
  /** Items created in Omnitron. */
  created: number;
  /** Items changed in Omnitron or accepted by the marketplace. */
  updated: number;
  /** Already present, unchanged, sent or still ongoing: nothing more to do now. */
  skipped: number;
  /** Items that failed. */
  failed: number;
}

/**
 * A batch request as a flow left it.
 *
 * @group Flows
 */
export interface BatchRequestSummary {
  /** Omnitron id. */
  id: number;
  /** Its UUID; error report codes start with it. */
  localBatchId: string;
  /** Where it ended. */
  status: BatchRequestStatus;
  /** The marketplace's job id, for asynchronous updates. */
  remoteBatchId: string | null;
}

/**
 * What a flow did: log it, assert on it, alert on it.
 *
 * @group Flows
 */
export interface FlowResult {
  /** Which flow ran. */
  flow: FlowName;
  /** The batch request the flow created, as it ended; `null` for `getOrderBatchRequests`. */
  batchRequest: BatchRequestSummary | null;
  /** Every batch request the flow touched (the one it created, or those it polled). */
  batchRequests: BatchRequestSummary[];
  /** How many items ended each way. */
  counts: FlowCounts;
  /**
   * One outcome per item, in the order the items came; only failures, or none, with `keepOutcomes`, and
   * at most `maxOutcomes`.
   */
  items: ItemOutcome[];
  /** Outcomes left out of `items` by `maxOutcomes` (absent when none were): `items` is then incomplete. */
  itemsOverLimit?: number;
  /** Error reports written to Omnitron. */
  reports: ReportCounts;
  /** Orders acknowledged on the marketplace (`fetchAndCreateOrder` only). */
  acknowledged: number;
}

/**
 * Which counter an item status adds to.
 *
 * @group Flows
 */
export function countFor(status: ItemStatus): keyof Omit<FlowCounts, 'fetched'> {
  switch (status) {
    case 'created':
      return 'created';
    case 'updated':
      return 'updated';
    case 'failed':
      return 'failed';
    default:
      return 'skipped';
  }
}
