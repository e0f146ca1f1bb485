import { BatchRequestTracker } from '../batch/batch-request-tracker.js';
import type { ChannelConf } from '../dto/channel.js';
import type { ContentTypeName } from '../dto/common.js';
import { BatchTransitionError } from '../errors/batch-transition-error.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { ChannelInactiveError } from '../errors/channel-inactive-error.js';
import { FlowAbortedError } from '../errors/flow-aborted-error.js';
import { NotSupportedError } from '../errors/not-supported-error.js';
import { UnexpectedError } from '../errors/unexpected-error.js';
import type {
  ChannelCallContext,
  ChannelIntegration,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
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
    try {
      return await work();
    } catch (thrown) {
      if (isRunFailure(thrown)) throw thrown;
      const error = UnexpectedError.wrap(thrown);
      this.#run.logger.warn(
        {
          flow: this.#run.flow,
          step,
          key,
          code: error.code,
          error: this.#run.deps.redactor.redactText(error.message),
        },
        'item failed',
      );
      await this.reporter.failure(step, key, error, subject);
      return { key, status: 'failed', error, batchRequestId: this.tracker.batch.id };
    }
  }
}

/** Errors that end the whole run rather than one item. */
function isRunFailure(error: unknown): boolean {
  return error instanceof FlowAbortedError || error instanceof BatchTransitionError;
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

  constructor(flow: FlowName, deps: FlowDependencies, conf: ChannelConf, options: FlowOptions) {
    this.flow = flow;
    this.deps = deps;
    this.conf = conf;
    this.logger = options.logger ?? deps.logger;
    this.signal = options.signal ?? new AbortController().signal;
    this.isSuccessLog = options.isSuccessLog ?? deps.isSuccessLog;
    this.#onItem = options.onItem;
  }

  /** Adds a batch request to the run. */
  addScope(tracker: BatchRequestTracker): BatchScope {
    const scope = new BatchScope(this, tracker);
    this.scopes.push(scope);
    return scope;
  }

  /** Records an item's outcome and tells the `onItem` hook. */
  record(outcome: ItemOutcome): void {
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

/**
 * Runs a flow that owns one batch request: creates it, runs the body, and closes the batch. When the body
 * returns, the batch ends `done`, unless the body finished it or handed it to the marketplace
 * (`sent_to_remote`, finished later by `getOrderBatchRequests`). When the body
 * throws, the batch ends `fail` with the objects handled so far, the failure is reported, and the typed
 * error is rethrown. `afterDone` runs once the batch is `done`.
 */
export async function runFlow(
  deps: FlowDependencies,
  spec: FlowSpec,
  options: FlowOptions,
  body: (run: FlowRun, scope: BatchScope) => Promise<void>,
  afterDone?: (run: FlowRun, scope: BatchScope) => Promise<void>,
): Promise<FlowResult> {
  const run = await startRun(deps, spec, options);
  const scope = run.addScope(await BatchRequestTracker.create(deps.omnitron, spec.contentType));
  run.logger.info({ flow: spec.flow, batchRequestId: scope.tracker.batch.id }, 'flow started');
  try {
    await body(run, scope);
    if (!scope.tracker.isFinished && !scope.tracker.isAwaitingRemote) await scope.tracker.done();
  } catch (thrown) {
    const error = UnexpectedError.wrap(thrown);
    await closeAfterFailure(run, scope, error);
    throw error;
  }
  if (afterDone && scope.tracker.batch.status === 'done') await afterDone(run, scope);
  run.logger.info(
    {
      flow: spec.flow,
      batchRequestId: scope.tracker.batch.id,
      status: scope.tracker.batch.status,
      counts: run.counts,
    },
    'flow finished',
  );
  return run.result(scope);
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
  await scope.reporter.failure(run.flow, 'Flow', error);
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
