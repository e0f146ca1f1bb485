import { BatchRequestTracker } from '../batch/batch-request-tracker.js';
import type { ChannelConf } from '../dto/channel.js';
import type { ContentTypeName } from '../dto/common.js';
import { BatchTransitionError } from '../errors/batch-transition-error.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { ChannelInactiveError } from '../errors/channel-inactive-error.js';
import { FlowAbortedError } from '../errors/flow-aborted-error.js';
import { NotSupportedError } from '../errors/not-supported-error.js';
import { OmnitronAuthError } from '../errors/omnitron-auth-error.js';
import { UnexpectedError } from '../errors/unexpected-error.js';
import type {
  ChannelCallContext,
  ChannelIntegration,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import type { KeyedLock } from '../locks/keyed-lock.js';
import { ErrorReporter, type ReportSubject } from '../reporting/error-reporter.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import type { FlowOptions } from './flow-options.js';
import {
  type BatchRequestSummary,
  countFor,
  type FlowCounts,
  type FlowName,
  type FlowResult,
  type ItemOutcome,
} from './flow-result.js';

/** What the flows are built from; {@link OrderService} assembles it once. */
export interface FlowDependencies {
  omnitron: OmnitronIntegration;
  channel: ChannelIntegration;
  logger: Logger;
  redactor: SecretRedactor;
  isSuccessLog: boolean;
  /** Orders imported at once, unless a run says otherwise. */
  importConcurrency?: number;
  /**
   * A batch left in `commit` or `initialized` unchanged for this long (ms) is closed as `fail` before a
   * flow starts.
   */
  staleBatchAfter: number;
  /** Guards find-or-create of customers and addresses across overlapping runs. */
  lock: KeyedLock;
}

/** One batch request inside a run: its tracker, its reporter and the context channel calls get. */
export class BatchScope {
  readonly tracker: BatchRequestTracker;
  readonly reporter: ErrorReporter;
  readonly #run: FlowRun;

  constructor(run: FlowRun, tracker: BatchRequestTracker) {
    this.#run = run;
    this.tracker = tracker;
    this.reporter = new ErrorReporter({
      omnitron: run.deps.omnitron,
      redactor: run.deps.redactor,
      logger: run.logger,
      batch: tracker.batch,
      batchVersion: () => tracker.batch.modifiedDate,
      isSuccessLog: run.isSuccessLog,
    });
  }

  /** What channel methods receive besides their data. */
  get context(): ChannelCallContext {
    return { batchRequest: this.tracker.batch, signal: this.#run.signal, logger: this.#run.logger };
  }

  /** The batch request as it stands now. */
  summary(): BatchRequestSummary {
    const { id, localBatchId, status, remoteBatchId } = this.tracker.batch;
    return { id, localBatchId, status, remoteBatchId };
  }

  /**
   * Runs one item's work. A failure of the item becomes an error report and a `failed` outcome so the
   * other items go on; a failure of the run itself (an abort, a refused batch transition) is rethrown.
   */
  async settle(
    step: string,
    key: string,
    work: () => Promise<ItemOutcome>,
    subject?: ReportSubject,
  ): Promise<ItemOutcome> {
    const attempt = await attemptItem(this.#run, step, key, work);
    if ('value' in attempt) return attempt.value;
    await this.reporter.failure(step, key, attempt.error, subject);
    return { key, status: 'failed', error: attempt.error, batchRequestId: this.tracker.batch.id };
  }
}

/**
 * Runs one item's work and returns its value or its typed error, without reporting (the caller reports in
 * order). A failure of the run itself is rethrown.
 */
export async function attemptItem<T>(
  run: FlowRun,
  step: string,
  key: string,
  work: () => Promise<T>,
): Promise<{ value: T } | { error: ChannelAppError }> {
  try {
    return { value: await work() };
  } catch (thrown) {
    if (isRunFailure(thrown)) throw thrown;
    const error = UnexpectedError.wrap(thrown, run.deps.redactor);
    run.logger.warn(
      { flow: run.flow, step, key, code: error.code, error: run.deps.redactor.redactText(error.message) },
      'item failed',
    );
    return { error };
  }
}

/** Errors that end the whole run rather than one item. */
function isRunFailure(error: unknown): boolean {
  // Refused credentials fail every item alike: stop at once rather than report each one.
  return (
    error instanceof FlowAbortedError ||
    error instanceof BatchTransitionError ||
    error instanceof OmnitronAuthError
  );
}

/** The state of one flow run: its options, its outcomes and the batch requests it touched. */
export class FlowRun {
  readonly flow: FlowName;
  readonly deps: FlowDependencies;
  readonly conf: ChannelConf;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly isSuccessLog: boolean;
  readonly items: ItemOutcome[] = [];
  readonly counts: FlowCounts = { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
  readonly scopes: BatchScope[] = [];
  acknowledged = 0;
  readonly #onItem: FlowOptions['onItem'];
  readonly #keep: NonNullable<FlowOptions['keepOutcomes']>;

  constructor(flow: FlowName, deps: FlowDependencies, conf: ChannelConf, options: FlowOptions) {
    this.flow = flow;
    this.deps = deps;
    this.conf = conf;
    this.logger = options.logger ?? deps.logger;
    this.signal = options.signal ?? new AbortController().signal;
    this.isSuccessLog = options.isSuccessLog ?? deps.isSuccessLog;
    this.#onItem = options.onItem;
    this.#keep = options.keepOutcomes ?? 'all';
  }

  /** Adds a batch request to the run. */
  addScope(tracker: BatchRequestTracker): BatchScope {
    const scope = new BatchScope(this, tracker);
    this.scopes.push(scope);
    return scope;
  }

  /** Records an item's outcome and tells the `onItem` hook. */
  record(outcome: ItemOutcome): void {
    if (this.#keep === 'all' || (this.#keep === 'failures' && outcome.status === 'failed'))
      this.items.push(outcome);
    this.counts[countFor(outcome.status)] += 1;
    try {
      this.#onItem?.(outcome);
    } catch (error) {
      this.logger.warn({ flow: this.flow, error: String(error) }, 'onItem hook threw; ignored');
    }
  }

  /** Throws `FlowAbortedError` once the caller's signal is aborted. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw new FlowAbortedError(this.flow, this.signal.reason);
  }

  /** The run's result as it stands. */
  result(primary: BatchScope | null): FlowResult {
    const reports = { sent: 0, failedToSend: 0 };
    for (const scope of this.scopes) {
      reports.sent += scope.reporter.counts.sent;
      reports.failedToSend += scope.reporter.counts.failedToSend;
    }
    return {
      flow: this.flow,
      batchRequest: primary?.summary() ?? null,
      batchRequests: this.scopes.map((s) => s.summary()),
      counts: { ...this.counts },
      items: this.items,
      reports,
      acknowledged: this.acknowledged,
    };
  }
}

/** How a flow that owns one batch request is set up. */
export interface FlowSpec {
  flow: FlowName;
  /** The content type its batch request is locked to on commit. */
  contentType: ContentTypeName;
  /** Channel operations it calls; checked before anything is created. */
  requires: ChannelOperation[];
}

/** Starts a run: checks the channel supports the flow and is active in Omnitron. */
export async function startRun(
  deps: FlowDependencies,
  spec: Pick<FlowSpec, 'flow' | 'requires'>,
  options: FlowOptions,
): Promise<FlowRun> {
  for (const operation of spec.requires) {
    if (!deps.channel.supports(operation)) throw new NotSupportedError(operation, deps.channel.name);
  }
  const channel = await deps.omnitron.getChannel();
  if (!channel.isActive) throw new ChannelInactiveError(channel.id);
  const run = new FlowRun(spec.flow, deps, channel.conf, options);
  run.throwIfAborted();
  return run;
}

/** Runs after a batch request of the flow reached `done` (acknowledgements, say). */
export type AfterDone = (run: FlowRun, scope: BatchScope) => Promise<void>;

/**
 * The batch requests of one run: usually one; a large import moves on to a fresh one every so many
 * orders ({@link BatchSession.rotate}), so no batch (and no request) grows without bound.
 */
export class BatchSession {
  #current: BatchScope;
  readonly #run: FlowRun;
  readonly #contentType: ContentTypeName;
  readonly #afterDone: AfterDone | undefined;

  private constructor(
    run: FlowRun,
    contentType: ContentTypeName,
    first: BatchScope,
    afterDone: AfterDone | undefined,
  ) {
    this.#run = run;
    this.#contentType = contentType;
    this.#current = first;
    this.#afterDone = afterDone;
  }

  /** Creates the run's first batch request. */
  static async open(
    run: FlowRun,
    contentType: ContentTypeName,
    afterDone?: AfterDone,
  ): Promise<BatchSession> {
    const first = run.addScope(await BatchRequestTracker.create(run.deps.omnitron, contentType));
    return new BatchSession(run, contentType, first, afterDone);
  }

  /** The batch request items go to now. */
  get current(): BatchScope {
    return this.#current;
  }

  /** Finishes the current batch request and starts a new one. */
  async rotate(): Promise<void> {
    await this.finish();
    this.#current = this.#run.addScope(
      await BatchRequestTracker.create(this.#run.deps.omnitron, this.#contentType),
    );
  }

  /**
   * Ends the current batch `done`, unless it already ended or waits for the marketplace
   * (`sent_to_remote`, finished later by `getOrderBatchRequests`), then runs `afterDone`.
   */
  async finish(): Promise<void> {
    const { tracker } = this.#current;
    if (!tracker.isFinished && !tracker.isAwaitingRemote) await tracker.done();
    if (this.#afterDone && tracker.batch.status === 'done') await this.#afterDone(this.#run, this.#current);
  }
}

/**
 * Runs a flow that owns its batch request: creates it, runs the body, and closes the batch (see
 * {@link BatchSession.finish}). When the body throws, the current batch ends `fail` with the objects
 * handled so far, the failure is reported, and the typed error is rethrown.
 */
export async function runFlow(
  deps: FlowDependencies,
  spec: FlowSpec,
  options: FlowOptions,
  body: (run: FlowRun, session: BatchSession) => Promise<void>,
  afterDone?: AfterDone,
): Promise<FlowResult> {
  const run = await startRun(deps, spec, options);
  await closeStaleBatches(run, spec.contentType);
  const session = await BatchSession.open(run, spec.contentType, afterDone);
  run.logger.info({ flow: spec.flow, batchRequestId: session.current.tracker.batch.id }, 'flow started');
  try {
    await body(run, session);
    await session.finish();
  } catch (thrown) {
    const error = UnexpectedError.wrap(thrown, deps.redactor);
    await closeAfterFailure(run, session.current, error);
    throw error;
  }
  const last = session.current.tracker.batch;
  run.logger.info(
    { flow: spec.flow, batchRequestId: last.id, status: last.status, counts: run.counts },
    'flow finished',
  );
  return run.result(run.scopes[0] ?? null);
}

/**
 * Closes batch requests that stopped runs left open:
 * - in `commit` (of this content type): they hold Omnitron's commit lock and would block every later run;
 *   their orders are re-linked by the next import, which finds them already present;
 * - in `initialized` (of any flow: a batch has no content type before its first commit): they block
 *   nothing but pile up, left by runs that died before committing, or by batch creates sent again after
 *   their first answer was lost.
 * One untouched for `staleBatchAfter` is closed as `fail`. A live import commits every chunk, so its batch
 * never looks stale; the cancel and line-update flows commit once, just before `done`, so their batch stays
 * `initialized` for the whole run: keep `staleBatchAfter` above the longest such run. (Should one be closed
 * anyway, nothing is lost: its final commit is refused, the run fails, and the next run finds its cancels
 * and updates already applied.)
 */
async function closeStaleBatches(run: FlowRun, contentType: ContentTypeName): Promise<void> {
  const { omnitron, staleBatchAfter } = run.deps;
  const cutoff = Date.now() - staleBatchAfter;
  const stale = [
    omnitron.listBatchRequests({ statuses: ['commit'], contentType }),
    omnitron.listBatchRequests({ statuses: ['initialized'] }),
  ];
  for (const batches of stale) {
    for await (const batch of batches) {
      // Compared with Omnitron's clock, so keep `staleBatchAfter` well above any clock skew; 0 closes every one.
      if (staleBatchAfter > 0 && !(Date.parse(batch.modifiedDate) <= cutoff)) continue;
      run.logger.warn(
        { flow: run.flow, batchRequestId: batch.id, status: batch.status, modifiedDate: batch.modifiedDate },
        `closing a batch request a stopped run left in ${batch.status}`,
      );
      try {
        await BatchRequestTracker.attach(omnitron, batch, contentType).fail();
      } catch (error) {
        // Closed or moved by someone else meanwhile: nothing left to do for this one.
        if (!(error instanceof BatchTransitionError)) throw error;
      }
    }
  }
}

/** Reports a run-level failure and closes the batch as `fail`, so it never blocks the next run. */
async function closeAfterFailure(run: FlowRun, scope: BatchScope, error: ChannelAppError): Promise<void> {
  run.logger.error(
    {
      flow: run.flow,
      batchRequestId: scope.tracker.batch.id,
      code: error.code,
      error: run.deps.redactor.redactText(error.message),
    },
    'flow failed',
  );
  try {
    await scope.reporter.failure(run.flow, 'Flow', error);
  } catch (reportError) {
    // The batch is closed all the same: a failed run must not leave it open.
    run.logger.error(
      { flow: run.flow, error: run.deps.redactor.redactText(String(reportError)) },
      'could not report the failure',
    );
  }
  if (scope.tracker.isFinished) return;
  try {
    await scope.tracker.fail();
  } catch (closeError) {
    run.logger.error(
      {
        flow: run.flow,
        batchRequestId: scope.tracker.batch.id,
        error: run.deps.redactor.redactText(String(closeError)),
      },
      'could not close the batch request as fail',
    );
  }
}
