import type { FlowResult } from '../flow-result.js';

/**
 * What `reconcileOrders` found and did, order by order counted once.
 *
 * @group Flows
 */
export interface ReconcileCounts {
  /** Orders the marketplace listed in the window that were compared (valid ones). */
  checked: number;
  /** Listed orders Omnitron did not have, and that were imported now. */
  imported: number;
  /** Orders whose Omnitron status the marketplace never received, sent again through `sendUpdatedOrders`. */
  statusResent: number;
  /** Orders that differ in a way the SDK cannot repair; each has an error report saying how. */
  unrepairable: number;
}

/**
 * The result of `reconcileOrders`: a {@link FlowResult} (one outcome per listed order: `unchanged` when
 * both sides agree, `created` when imported now, `updated` when its status was sent again and accepted,
 * `failed` otherwise) with the reconciliation's own counts.
 *
 * @group Flows
 */
export interface ReconcileOrdersResult extends FlowResult {
  /** What the reconciliation found and did. */
  reconciliation: ReconcileCounts;
}
