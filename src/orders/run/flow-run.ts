import type { BatchRequestTracker } from '../../batch/batch-request-tracker.js';
import type { ChannelConf } from '../../dto/channel.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import { NotSupportedError } from '../../errors/channel-errors.js';
import { BatchTransitionError, OmnitronAuthError } from '../../errors/omnitron-errors.js';
import { ChannelInactiveError, FlowAbortedError, UnexpectedError } from '../../errors/run-errors.js';
import type { Logger } from '../../foundation/logger.js';
import type { SecretRedactor } from '../../foundation/redact.js';
import type { ChannelOperation } from '../../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../../integrations/omnitron-integration.js';
import type { KeyedLock } from '../../locks/keyed-lock.js';
import { countItem, inItemSpan } from '../../telemetry/telemetry.js';
import type { ChannelPort } from '../channel-port.js';
import type { FlowName } from '../flow-names.js';
import type { RunSettings } from '../flow-options.js';
import { countFor, type FlowCounts, type FlowResult, type ItemOutcome } from '../flow-result.js';
import { BatchScope } from './batch-scope.js';

/** What the flows are built from; {@link OrderService} assembles it once. */
export interface FlowDependencies {
  omnitron: OmnitronIntegration;
  /** The team's adapter, behind the checks of the port. */
  channel: ChannelPort;
  logger: Logger;
  redactor: SecretRedactor;
  isSuccessLog: boolean;
  /** Orders imported at once, unless a run says otherwise. */
  importConcurrency: number;
  /**
   * A batch left in `commit` or `initialized` unchanged for this long (ms) is closed as `fail` before a
   * flow starts.
   */
  staleBatchAfter: number;
  /** How long a commit waits for another batch of its content type to leave `commit` (ms). */
  commitLockWait: number;
  /** Guards find-or-create of orders, customers and addresses across overlapping runs. */
  lock: KeyedLock;
}

/**
 * Errors that end the whole run rather than one item: the caller's abort, Omnitron refusing a batch
 * transition, and refused credentials (they would fail every item alike). The one place this is decided.
 */
export function endsRun(error: unknown): boolean {
  return (
    error instanceof FlowAbortedError ||
    error instanceof BatchTransitionError ||
    error instanceof OmnitronAuthError
  );
}

/**
 * One flow run: its settings, and the log of what happened (item outcomes, counts, the batch requests it
 * touched). Flows add to the log through its methods only.
 */
export class FlowRun {
  readonly flow: FlowName;
  readonly deps: FlowDependencies;
  readonly conf: ChannelConf;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly isSuccessLog: boolean;
  readonly #items: ItemOutcome[] = [];
  readonly #counts: FlowCounts = { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
  readonly #scopes: BatchScope[] = [];
  #acknowledged = 0;
  readonly #onItem: RunSettings['onItem'];
  readonly #keep: RunSettings['keepOutcomes'];
  readonly #maxOutcomes: number;
  /** Outcomes `keepOutcomes` would have kept beyond `maxOutcomes`. */
  #overLimit = 0;

  constructor(flow: FlowName, deps: FlowDependencies, conf: ChannelConf, settings: RunSettings) {
    this.flow = flow;
    this.deps = deps;
    this.conf = conf;
    this.logger = settings.logger;
    this.signal = settings.signal;
    this.isSuccessLog = settings.isSuccessLog;
    this.#onItem = settings.onItem;
    this.#keep = settings.keepOutcomes;
    this.#maxOutcomes = settings.maxOutcomes;
  }

  /** Adds a batch request to the run. */
  addScope(tracker: BatchRequestTracker): BatchScope {
    const scope = new BatchScope(this, tracker);
    this.#scopes.push(scope);
    return scope;
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
    countItem(this.flow, outcome.status, outcome.error);
    try {
      this.#onItem?.(outcome);
    } catch (error) {
      this.logger.warn({ flow: this.flow, error: String(error) }, 'onItem hook threw; ignored');
    }
  }

  /** The counts so far. */
  get counts(): Readonly<FlowCounts> {
    return this.#counts;
  }

  /** Throws `FlowAbortedError` once the caller's signal is aborted. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw new FlowAbortedError(this.flow, this.signal.reason);
  }

  /**
   * Runs one item's work and returns its value or its typed error (logged), leaving the reporting to the
   * caller, which reports in input order. An error that ends the run is rethrown (see {@link endsRun}).
   */
  async attempt<T>(
    step: string,
    key: string,
    work: () => Promise<T>,
  ): Promise<{ value: T } | { error: ChannelAppError }> {
    try {
      return { value: await inItemSpan(this.flow, step, key, work) };
    } catch (thrown) {
      if (endsRun(thrown)) throw thrown;
      const error = UnexpectedError.wrap(thrown, this.deps.redactor);
      this.logger.warn(
        { flow: this.flow, step, key, code: error.code, error: this.deps.redactor.redactText(error.message) },
        'item failed',
      );
      return { error };
    }
  }

  /** The run's result as it stands; `primary` is the batch request it names first. */
  result(primary: BatchScope | null): FlowResult {
    const reports = { sent: 0, failedToSend: 0 };
    for (const scope of this.#scopes) {
      reports.sent += scope.reporter.counts.sent;
      reports.failedToSend += scope.reporter.counts.failedToSend;
    }
    return {
      flow: this.flow,
      batchRequest: primary?.summary() ?? null,
      batchRequests: this.#scopes.map((s) => s.summary()),
      counts: { ...this.#counts },
      items: this.#items,
      reports,
      acknowledged: this.#acknowledged,
      ...(this.#overLimit > 0 ? { itemsOverLimit: this.#overLimit } : {}),
    };
  }
}

/** Starts a run: checks the channel supports the flow and is active in Omnitron. */
export async function startRun(
  deps: FlowDependencies,
  flow: FlowName,
  requires: readonly ChannelOperation[],
  settings: RunSettings,
): Promise<FlowRun> {
  for (const operation of requires) {
    if (!deps.channel.supports(operation)) throw new NotSupportedError(operation, deps.channel.name);
  }
  const channel = await deps.omnitron.getChannel();
  if (!channel.isActive) throw new ChannelInactiveError(channel.id);
  const run = new FlowRun(flow, deps, channel.conf, settings);
  run.throwIfAborted();
  return run;
}
