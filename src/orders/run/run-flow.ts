import { BatchRequestTracker } from '../../batch/batch-request-tracker.js';
import type { ContentTypeName } from '../../dto/common.js';
import { NotSupportedError } from '../../errors/channel-errors.js';
import { BatchTransitionError } from '../../errors/omnitron-errors.js';
import { ChannelInactiveError, UnexpectedError } from '../../errors/run-errors.js';
import type { ChannelOperation } from '../../integrations/channel-integration.js';
import { inFlowSpan } from '../../telemetry/telemetry.js';
import type { FlowName } from '../flow-names.js';
import type { RunSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { BatchSession } from './batch-scope.js';
import { type FlowDependencies, type RunContext, throwIfAborted } from './run-context.js';
import { RunLedger } from './run-ledger.js';

/** How a flow that owns its batch request is set up. */
export interface FlowSpec {
  flow: FlowName;
  /** The content type its batch request is locked to on commit. */
  contentType: ContentTypeName;
  /** Channel operations it calls; checked before anything is created. */
  requires: readonly ChannelOperation[];
}

/**
 * A flow's own work: it reads what it needs from the run's context, records outcomes through its batch
 * scopes (and counts reads in the ledger), and puts items in the session's current batch.
 */
export type FlowBody = (context: RunContext, ledger: RunLedger, session: BatchSession) => Promise<void>;

/**
 * Runs a flow that owns its batch request: creates it, runs the body, and closes the batch (see
 * {@link BatchSession.finish}). When the body throws, a batch still finishing in the background is waited
 * for, the current batch ends `fail` with the objects handled so far, the failure is reported, and the
 * typed error is rethrown (see {@link BatchSession.closeAfterFailure}).
 */
export function runFlow(
  deps: FlowDependencies,
  spec: FlowSpec,
  settings: RunSettings,
  body: FlowBody,
): Promise<FlowResult> {
  return inFlowSpan(spec.flow, () => runInBatch(deps, spec, settings, body), resultAttributes);
}

/** {@link runFlow} without its span. */
async function runInBatch(
  deps: FlowDependencies,
  spec: FlowSpec,
  settings: RunSettings,
  body: FlowBody,
): Promise<FlowResult> {
  const { context, ledger } = await startRun(deps, spec.flow, spec.requires, settings);
  if (settings.closeStaleBatches) await closeStaleBatches(context, spec.contentType);
  const session = await BatchSession.open(context, ledger, spec.contentType);
  const first = session.current;
  context.logger.info({ flow: spec.flow, batchRequestId: first.tracker.batch.id }, 'flow started');
  try {
    await body(context, ledger, session);
    await session.finish();
  } catch (thrown) {
    const error = UnexpectedError.wrap(thrown, deps.redactor);
    await session.closeAfterFailure(error);
    throw error;
  }
  const last = session.current.tracker.batch;
  context.logger.info(
    { flow: spec.flow, batchRequestId: last.id, status: last.status, counts: ledger.counts },
    'flow finished',
  );
  return ledger.result(first);
}

/**
 * Runs a flow that works on batch requests others created (`getOrderBatchRequests` finishes the batches
 * `updateOrders` sent): the same span, checks and result as {@link runFlow}, without a batch of its own.
 * The body adds each batch it touches to the run (`BatchScope.add`).
 */
export function runOnExistingBatches(
  deps: FlowDependencies,
  spec: Omit<FlowSpec, 'contentType'>,
  settings: RunSettings,
  body: (context: RunContext, ledger: RunLedger) => Promise<void>,
): Promise<FlowResult> {
  return inFlowSpan(
    spec.flow,
    async () => {
      const { context, ledger } = await startRun(deps, spec.flow, spec.requires, settings);
      await body(context, ledger);
      return ledger.result(null);
    },
    resultAttributes,
  );
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
async function closeStaleBatches(context: RunContext, contentType: ContentTypeName): Promise<void> {
  const { omnitron, staleBatchAfter } = context;
  const stale = [
    omnitron.listBatchRequests({ statuses: ['commit'], contentType }),
    omnitron.listBatchRequests({ statuses: ['initialized'] }),
  ];
  for (const batches of stale) {
    for await (const batch of batches) {
      // `modifiedDate` is stamped by Omnitron's clock, so it is compared with Omnitron's time (read from its
      // answers, the list's included), never this machine's: the two may be minutes apart. 0 closes every one.
      const cutoff = omnitron.omnitronNow().getTime() - staleBatchAfter;
      if (staleBatchAfter > 0 && !(Date.parse(batch.modifiedDate) <= cutoff)) continue;
      context.logger.warn(
        {
          flow: context.flow,
          batchRequestId: batch.id,
          status: batch.status,
          modifiedDate: batch.modifiedDate,
        },
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

/**
 * Starts a run: checks the channel supports the flow and is active in Omnitron, and gives the run its
 * context (what its steps read) and its ledger (what it records).
 */
async function startRun(
  deps: FlowDependencies,
  flow: FlowName,
  requires: readonly ChannelOperation[],
  settings: RunSettings,
): Promise<{ context: RunContext; ledger: RunLedger }> {
  for (const operation of requires) {
    if (!deps.channel.supports(operation)) throw new NotSupportedError(operation, deps.channel.name);
  }
  const channel = await deps.omnitron.getChannel();
  if (!channel.isActive) throw new ChannelInactiveError(channel.id);
  const { omnitron, channel: port, redactor, lock, commitLockWait, staleBatchAfter } = deps;
  const { logger, signal, isSuccessLog } = settings;
  const context: RunContext = Object.freeze({
    flow,
    omnitron,
    channel: port,
    conf: channel.conf,
    logger,
    redactor,
    lock,
    signal,
    isSuccessLog,
    commitLockWait,
    staleBatchAfter,
  });
  throwIfAborted(context);
  return { context, ledger: new RunLedger(flow, settings) };
}

/** What a flow's span says about its result: its first batch request and its counts. */
function resultAttributes(result: FlowResult): Record<string, number> {
  const { counts, batchRequest } = result;
  return {
    ...(batchRequest ? { 'channel_app.batch_request.id': batchRequest.id } : {}),
    'channel_app.items.fetched': counts.fetched,
    'channel_app.items.created': counts.created,
    'channel_app.items.updated': counts.updated,
    'channel_app.items.skipped': counts.skipped,
    'channel_app.items.failed': counts.failed,
  };
}
