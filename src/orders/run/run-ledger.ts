import type { Logger } from '../../foundation/logger.js';
import type { ReportCounts } from '../../reporting/error-reporter.js';
import { countItem } from '../../telemetry/telemetry.js';
import type { FlowName } from '../flow-names.js';
import type { RunSettings } from '../flow-options.js';
import {
  type BatchRequestSummary,
  countFor,
  type FlowCounts,
  type FlowResult,
  type ItemOutcome,
} from '../flow-result.js';
import type { BatchScope } from './batch-scope.js';

/**
 * A batch request the run finished (`done` or `fail`), as its result needs it: its summary, which no longer
 * changes, and its reporter's counts (the same object, so a report sent after the end still counts). A
 * long import finishes a batch every 50 orders; keeping this instead of the scope (its tracker, reporter
 * and closures, about 1 KB) keeps a 200 000-order run's record to a few hundred KB.
 */
interface FinishedScope {
  summary: BatchRequestSummary;
  reports: Readonly<ReportCounts>;
}

/**
 * The record of one run: item outcomes (as many as `keepOutcomes` and `maxOutcomes` allow), counts, the
 * batch requests it touched, and orders acknowledged. It only records; what steps read is the run's
 * {@link RunContext}. Its {@link RunLedger.result} is the flow's result.
 */
export class RunLedger {
  readonly #flow: FlowName;
  readonly #logger: Logger;
  readonly #items: ItemOutcome[] = [];
  readonly #counts: FlowCounts = { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
  /** The batch requests of the run, in the order it touched them: finished ones reduced to their record. */
  readonly #scopes: (BatchScope | FinishedScope)[] = [];
  /** Positions in `#scopes` of the scopes not reduced yet. */
  #live: number[] = [];
  #acknowledged = 0;
  readonly #onItem: RunSettings['onItem'];
  readonly #keep: RunSettings['keepOutcomes'];
  readonly #maxOutcomes: number;
  /** Outcomes `keepOutcomes` would have kept beyond `maxOutcomes`. */
  #overLimit = 0;

  constructor(flow: FlowName, settings: RunSettings) {
    this.#flow = flow;
    this.#logger = settings.logger;
    this.#onItem = settings.onItem;
    this.#keep = settings.keepOutcomes;
    this.#maxOutcomes = settings.maxOutcomes;
  }

  /** Adds a batch request the run works in, for the result. */
  addScope(scope: BatchScope): void {
    this.#reduceFinished();
    this.#live.push(this.#scopes.length);
    this.#scopes.push(scope);
  }

  /** Replaces the scopes whose batch ended by their record: their tracker and reporter can then go. */
  #reduceFinished(): void {
    this.#live = this.#live.filter((at) => {
      const scope = this.#scopes[at];
      if (!(scope && 'tracker' in scope && scope.tracker.isFinished)) return true;
      this.#scopes[at] = { summary: scope.summary(), reports: scope.reporter.counts };
      return false;
    });
  }

  /** Counts items read from the marketplace or from Omnitron's feed. */
  fetched(count = 1): void {
    this.#counts.fetched += count;
  }

  /** Counts orders the marketplace acknowledged. */
  acknowledged(count: number): void {
    this.#acknowledged += count;
  }

  /** Records an item's outcome and tells the `onItem` hook. */
  record(outcome: ItemOutcome): void {
    if (this.#keep === 'all' || (this.#keep === 'failures' && outcome.status === 'failed')) {
      if (this.#items.length < this.#maxOutcomes) this.#items.push(outcome);
      else this.#overLimit += 1;
    }
    this.#counts[countFor(outcome.status)] += 1;
    countItem(this.#flow, outcome.status, outcome.error);
    try {
      this.#onItem?.(outcome);
    } catch (error) {
      this.#logger.warn({ flow: this.#flow, error: String(error) }, 'onItem hook threw; ignored');
    }
  }

  /** The counts so far. */
  get counts(): Readonly<FlowCounts> {
    return this.#counts;
  }

  /** The run's result as it stands; `primary` is the batch request it names first. */
  result(primary: BatchScope | null): FlowResult {
    const reports = { sent: 0, failedToSend: 0 };
    const batchRequests: BatchRequestSummary[] = [];
    for (const scope of this.#scopes) {
      const counts = 'tracker' in scope ? scope.reporter.counts : scope.reports;
      reports.sent += counts.sent;
      reports.failedToSend += counts.failedToSend;
      batchRequests.push('tracker' in scope ? scope.summary() : scope.summary);
    }
    return {
      flow: this.#flow,
      batchRequest: primary?.summary() ?? null,
      batchRequests,
      counts: { ...this.#counts },
      items: this.#items,
      reports,
      acknowledged: this.#acknowledged,
      ...(this.#overLimit > 0 ? { itemsOverLimit: this.#overLimit } : {}),
    };
  }
}
