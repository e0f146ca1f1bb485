import type { Logger } from '../reporting/logger.js';
import type { ItemOutcome } from './flow-result.js';

/** Options every flow takes. Values left out fall back to the {@link OrderServiceOptions} defaults. */
export interface FlowOptions {
  /** Also write error reports for successful steps (Sales Channel Logs show them as Successful). */
  isSuccessLog?: boolean;
  /** Stops the flow between items; its batch request is closed as `fail` and `FlowAbortedError` thrown. */
  signal?: AbortSignal;
  /** Called after each item with its outcome, for progress displays. */
  onItem?: (outcome: ItemOutcome) => void;
  /** A logger for this run only. */
  logger?: Logger;
}

/** Options of {@link OrderService.updateOrders}. */
export interface UpdateOrdersOptions extends FlowOptions {
  /**
   * `true` (default): the flow waits for the marketplace's results and finishes the batch now. `false`:
   * the marketplace may answer with a job id; the batch goes to `sent_to_remote` and
   * `getOrderBatchRequests` finishes it later.
   */
  isSync?: boolean;
  /** At most this many orders per run (default 100). */
  limit?: number;
}

/** Options of {@link OrderService.updateCancellationRequests}. */
export interface UpdateCancellationRequestsOptions extends FlowOptions {
  /** At most this many requests per run (default 100). */
  limit?: number;
}
