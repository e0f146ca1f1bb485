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
}

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
  return {
    flow: result.flow,
    batchRequests: result.batchRequests,
    counts: result.counts,
    reports: result.reports,
    acknowledged: result.acknowledged,
    failures: result.items
      .filter((i) => i.error)
      .slice(0, 100)
      .map((i) => ({
        key: redactor.redactText(i.key),
        code: i.error?.code ?? 'UNEXPECTED',
        message: redactor.redactText(i.error?.message ?? ''),
      })),
  };
}
