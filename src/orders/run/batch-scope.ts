import { BatchRequestTracker } from '../../batch/batch-request-tracker.js';
import type { ContentTypeName } from '../../dto/common.js';
import type { ChannelReport } from '../../dto/error-report.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import { UnexpectedError } from '../../errors/run-errors.js';
import type { ChannelCallContext } from '../../integrations/channel-integration.js';
import { ErrorReporter, type ReportSubject } from '../../reporting/error-reporter.js';
import type { BatchRequestSummary, ItemOutcome } from '../flow-result.js';
import type { RunContext } from './run-context.js';

/**
 * Where a batch scope records what became of its items: the run's {@link RunLedger}. Declared here, by its
 * user, so that the ledger (which sums its scopes up) and the scopes do not import each other.
 */
export interface ScopeLedger {
  /** Records an item's outcome in the run. */
  record(outcome: ItemOutcome): void;
  /** Adds a batch request to the run's result. */
  addScope(scope: BatchScope): void;
}

/** What a batch scope reads from its run. */
export type ScopeContext = Pick<
  RunContext,
  'flow' | 'omnitron' | 'redactor' | 'logger' | 'signal' | 'isSuccessLog' | 'commitLockWait'
>;

/** An item that failed, as {@link BatchScope.failed} reports and records it. */
export interface FailedItem {
  key: string;
  /** The marketplace's id of the item, when known. */
  remoteId?: string | null | undefined;
  error: ChannelAppError;
  /** The Omnitron object the failure concerns, if any. */
  subject?: ReportSubject | undefined;
  /** The data that failed (the marketplace's item or answer), for the error report. */
  payload?: unknown;
}

/**
 * One batch request inside a run: its tracker, its reporter, and the two ways an item ends in it
 * ({@link BatchScope.failed} or {@link BatchScope.succeeded}), each reporting and recording the item's
 * outcome together. Made by {@link BatchScope.add}, which also adds it to the run's ledger.
 */
export class BatchScope {
  readonly tracker: BatchRequestTracker;
  readonly reporter: ErrorReporter;
  readonly #flow: ScopeContext['flow'];
  readonly #signal: AbortSignal;
  readonly #logger: ScopeContext['logger'];
  readonly #redactor: ScopeContext['redactor'];
  readonly #ledger: ScopeLedger;

  private constructor(context: ScopeContext, ledger: ScopeLedger, tracker: BatchRequestTracker) {
    this.#flow = context.flow;
    this.#signal = context.signal;
    this.#logger = context.logger;
    this.#redactor = context.redactor;
    this.#ledger = ledger;
    this.tracker = tracker;
    this.reporter = new ErrorReporter({
      omnitron: context.omnitron,
      redactor: context.redactor,
      logger: context.logger,
      batch: tracker.batch,
      batchVersion: () => tracker.batch.modifiedDate,
      isSuccessLog: context.isSuccessLog,
    });
  }

  /** A batch request the run works in (one it created, or one another run left), added to its ledger. */
  static add(context: ScopeContext, ledger: ScopeLedger, tracker: BatchRequestTracker): BatchScope {
    const scope = new BatchScope(context, ledger, tracker);
    ledger.addScope(scope);
    return scope;
  }

  /** Creates a batch request of this content type and adds it to the run. */
  static async create(
    context: ScopeContext,
    ledger: ScopeLedger,
    contentType: ContentTypeName,
  ): Promise<BatchScope> {
    const tracker = await BatchRequestTracker.create(context.omnitron, contentType, context);
    return BatchScope.add(context, ledger, tracker);
  }

  /** What channel methods receive besides their data. */
  get context(): ChannelCallContext {
    return { batchRequest: this.tracker.batch, signal: this.#signal, logger: this.#logger };
  }

  /** The batch request as it stands now. */
  summary(): BatchRequestSummary {
    const { id, localBatchId, status, remoteBatchId } = this.tracker.batch;
    return { id, localBatchId, status, remoteBatchId };
  }

  /** Forwards the reports the adapter attached to an item or an answer. */
  async forward(step: string, key: string, reports: readonly ChannelReport[] | undefined): Promise<void> {
    for (const report of reports ?? []) await this.reporter.channel(step, key, report);
  }

  /** Reports an item's failure, with the data that failed when there is some, and records it as `failed`. */
  async failed(step: string, item: FailedItem): Promise<void> {
    const { key, remoteId, error, subject, payload } = item;
    await this.reporter.failure(step, key, error, subject, payload);
    this.#ledger.record({
      key,
      ...(remoteId ? { remoteId } : {}),
      status: 'failed',
      error,
      ...(subject ? { omnitronId: subject.objectId } : {}),
      batchRequestId: this.tracker.batch.id,
    });
  }

  /**
   * Records an item's success (created, updated, sent, unchanged…) and, given a `message`, reports it: the
   * report is written when the run reports successes (`isSuccessLog`), and only then.
   */
  async succeeded(
    step: string,
    outcome: Omit<ItemOutcome, 'batchRequestId' | 'remoteId'> & { remoteId?: string | null | undefined },
    message?: string,
    subject?: ReportSubject,
  ): Promise<void> {
    if (message !== undefined) await this.reporter.success(step, outcome.key, message, subject);
    const { remoteId, ...rest } = outcome;
    this.#ledger.record({
      ...rest,
      ...(remoteId ? { remoteId } : {}),
      batchRequestId: this.tracker.batch.id,
    });
  }

  /**
   * Ends the batch `done`, unless it already ended or waits for the marketplace (`sent_to_remote`,
   * finished later by `getOrderBatchRequests`).
   */
  async end(): Promise<void> {
    const { tracker } = this;
    if (!tracker.isFinished && !tracker.isAwaitingRemote) await tracker.done();
  }

  /** Reports a run-level failure under this batch and closes it as `fail`, so it never blocks the next run. */
  async closeAfterFailure(error: ChannelAppError): Promise<void> {
    const flow = this.#flow;
    const logger = this.#logger;
    const redactor = this.#redactor;
    logger.error(
      {
        flow,
        batchRequestId: this.tracker.batch.id,
        code: error.code,
        error: redactor.redactText(error.message),
      },
      'flow failed',
    );
    try {
      await this.reporter.failure(flow, 'Flow', error);
    } catch (reportError) {
      // The batch is closed all the same: a failed run must not leave it open.
      logger.error({ flow, error: redactor.redactText(String(reportError)) }, 'could not report the failure');
    }
    if (this.tracker.isFinished) return;
    try {
      await this.tracker.fail();
    } catch (closeError) {
      logger.error(
        { flow, batchRequestId: this.tracker.batch.id, error: redactor.redactText(String(closeError)) },
        'could not close the batch request as fail',
      );
    }
  }
}

/**
 * The batch requests of one run: usually one; a large import moves on to a fresh one every so many
 * orders ({@link BatchSession.rotate}), so no batch (and no request) grows without bound. The next batch is
 * created only when something goes into it ({@link BatchSession.open}): a run whose last chunk filled its
 * batch exactly ends without an empty batch request (two requests, and a line in Sales Channel Logs).
 *
 * A rotation ends the full batch in the background: its last commit, `done` and whatever follows run while
 * items already go to the next batch. One such finish at a time, and every commit of the run waits for it
 * ({@link BatchSession.settled}): Omnitron lets one batch per content type be in `commit`, so two batches of
 * one run committing at once would only make one wait for the other's lock. A finish that fails closes its
 * batch `fail` (reported), and the run fails with its error at its next step.
 */
export class BatchSession {
  #current: BatchScope;
  /** Whether the current batch was rotated out and the next is not made yet. */
  #rotated = false;
  /** The background finish of the batch rotated out last, while it runs; it never rejects. */
  #finishing: Promise<void> | null = null;
  /** Why the background finish failed (its batch is closed `fail`): the run fails with it. */
  #failure: ChannelAppError | null = null;
  readonly #context: ScopeContext;
  readonly #ledger: ScopeLedger;
  readonly #contentType: ContentTypeName;

  private constructor(
    context: ScopeContext,
    ledger: ScopeLedger,
    contentType: ContentTypeName,
    first: BatchScope,
  ) {
    this.#context = context;
    this.#ledger = ledger;
    this.#contentType = contentType;
    this.#current = first;
  }

  /** Creates the run's first batch request. */
  static async open(
    context: ScopeContext,
    ledger: ScopeLedger,
    contentType: ContentTypeName,
  ): Promise<BatchSession> {
    const first = await BatchScope.create(context, ledger, contentType);
    return new BatchSession(context, ledger, contentType, first);
  }

  /**
   * The batch request items went to last: after {@link BatchSession.rotate}, the rotated one until
   * {@link BatchSession.open} makes the next.
   */
  get current(): BatchScope {
    return this.#current;
  }

  /** Whether the current batch takes items: `false` after a rotation, until {@link BatchSession.open}. */
  get isOpen(): boolean {
    return !this.#rotated;
  }

  /**
   * Throws the error a background finish failed with, at once (no await: a caller between two items
   * stays there).
   */
  throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  /**
   * The batch request items go to now: after a rotation, a new one, created here (possibly while the
   * rotated one is still finishing).
   */
  async open(): Promise<BatchScope> {
    this.throwIfFailed();
    if (this.#rotated) {
      this.#current = await BatchScope.create(this.#context, this.#ledger, this.#contentType);
      this.#rotated = false;
    }
    return this.#current;
  }

  /**
   * Waits for the background finish, if one runs, and throws its error if it failed. Every commit of the
   * run comes after this, so no two of its batches are ever in `commit` at once.
   */
  async settled(): Promise<void> {
    if (this.#finishing) await this.#finishing;
    this.throwIfFailed();
  }

  /**
   * Rotates the current batch out: `finish` (its last commit, `done`, what its items are owed after) runs
   * in the background while the next batch, created when an item needs it, takes the items. Waits first for
   * the finish before it. Returns once this one has started.
   */
  async rotate(finish: (scope: BatchScope) => Promise<void>): Promise<void> {
    await this.settled();
    const scope = this.#current;
    this.#rotated = true;
    this.#finishing = finish(scope).then(
      () => {
        this.#finishing = null;
      },
      async (thrown: unknown) => {
        const error = UnexpectedError.wrap(thrown, this.#context.redactor);
        // Known at once, so the run stops at its next step; its batch is closed meanwhile.
        this.#failure = error;
        try {
          await scope.closeAfterFailure(error);
        } finally {
          this.#finishing = null;
        }
      },
    );
  }

  /** Ends the current batch `done` after the background finish (see {@link BatchScope.end}); returns it. */
  async finish(): Promise<BatchScope> {
    await this.settled();
    await this.#current.end();
    return this.#current;
  }

  /**
   * After the run failed with `error`: waits for the background finish, then reports `error` and closes the
   * batch items went to as `fail`. Right after a rotation, under a batch of its own, as a run failing
   * mid-chunk does; should even that batch not be made, under the one rotated out. Unless the rotated one's
   * own finish failed: it was reported and closed with its error already, and nothing is left open.
   */
  async closeAfterFailure(error: ChannelAppError): Promise<void> {
    await this.#finishing;
    if (this.#rotated && this.#failure) {
      // A run stopped for another reason meanwhile (an abort) says so under the same batch.
      if (error !== this.#failure) await this.#current.closeAfterFailure(error);
      return;
    }
    const scope = this.#rotated
      ? await BatchScope.create(this.#context, this.#ledger, this.#contentType).catch(() => this.#current)
      : this.#current;
    await scope.closeAfterFailure(error);
  }
}
