import { SecretRedactor } from '../foundation/redact.js';
import type { BatchRequestSummary, FlowCounts, FlowName, FlowResult } from '../orders/flow-result.js';
import type { ReportCounts } from '../reporting/error-reporter.js';

/** A flow result as a job keeps it: plain JSON, failures as code and message. */
export interface FlowSummary {
  /** Which flow ran. */
  flow: FlowName;
  /** The batch requests it used, as they ended. */
  batchRequests: BatchRequestSummary[];
  /** How many items ended each way. */
  counts: FlowCounts;
  /** Error reports written, and those Omnitron did not take. */
  reports: ReportCounts;
  /** Orders acknowledged on the marketplace. */
  acknowledged: number;
  /** The failed items (up to 100). */
  failures: FailedItem[];
  /** Failed items not in `failures` (the run kept no more, or the summary took no more): 0 when complete. */
  failuresOmitted: number;
}

/**
 * Failures a summary lists. A scheduled run keeps no more than these in memory (`keepOutcomes: 'failures'`,
 * `maxOutcomes`), unless its options say otherwise: a run with 100 000 failing orders would otherwise hold
 * every outcome (about 190 MB) to list the first hundred.
 */
export const SUMMARY_FAILURES = 100;

/** A failed item, as a job keeps it. */
export interface FailedItem {
  /** The item's key, such as its order number. */
  key: string;
  /** The error's code. */
  code: string;
  /** The error's message. */
  message: string;
}

const DEFAULT_REDACTOR = new SecretRedactor();

/**
 * The JSON-safe summary of a flow result; BullMQ stores it in Redis. Messages are redacted again with
 * `redactor` (the scheduler's `secrets`), though the flows' errors are redacted where they are made.
 */
export function summarize(result: FlowResult, redactor: SecretRedactor = DEFAULT_REDACTOR): FlowSummary {
  const failures = result.items
    .filter((i) => i.error)
    .slice(0, SUMMARY_FAILURES)
    .map((i) => ({
      key: redactor.redactText(i.key),
      code: i.error?.code ?? 'UNEXPECTED',
      message: redactor.redactText(i.error?.message ?? ''),
    }));
  return {
    flow: result.flow,
    batchRequests: result.batchRequests,
    counts: result.counts,
    reports: result.reports,
    acknowledged: result.acknowledged,
    failures,
    failuresOmitted: Math.max(0, result.counts.failed - failures.length),
  };
}
