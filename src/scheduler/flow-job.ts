import { DelayedError, type Job } from 'bullmq';
import type { FlowResult } from '../orders/flow-result.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { storableError } from '../reporting/storable-error.js';
import { countSkippedRun } from '../telemetry/telemetry.js';
import { type FlowSummary, SUMMARY_FAILURES, summarize } from './flow-summary.js';
import type { RunLock } from './run-lock.js';
import type { FlowRunContext, FlowRunner, ScheduledFlow } from './scheduled-flow.js';
import type { FlowFailure } from './scheduler-options.js';

/** What a scheduled job carries. */
export interface JobData {
  /** The channel's id. */
  channelId: string;
  /** The flow to run. */
  flow: ScheduledFlow;
  /** The flow's options. */
  options?: Record<string, unknown>;
  /**
   * Set by the scheduler when the run found its lock held and waited for it (`attempt:stalls`): the next
   * look at the lock within the same attempt skips the run rather than waiting again.
   */
  lockWait?: string;
}

/** What a job answers when another run of the same channel flow was still going. */
export interface SkippedRun {
  /** Always `true`. */
  skipped: true;
  /** Why it did not run. */
  reason: string;
}

/**
 * What one scheduler (one process) has seen since it was made: an operator's figures for the fleet, and
 * what says "every scheduled run happened, or was counted" in the fleet bench and its tests.
 */
export interface SchedulerCounts {
  /** Runs that took their lock and called the flow (retries and re-runs included). */
  started: number;
  /** Runs whose flow returned. */
  finished: number;
  /** Attempts whose flow threw or was aborted (BullMQ retries them until `attempts` are used). */
  failed: number;
  /** Triggers skipped because a live run of the same channel flow kept its lock (each logged at `warn`). */
  skipped: number;
  /**
   * Slots of an `every` schedule that never got a job: BullMQ makes a schedule's next job when the current
   * one starts, so a job that starts more than one interval late drops the slots in between (logged at
   * `warn`; add workers or raise `concurrency`).
   */
  dropped: number;
  /** Triggers that found their lock held and were put back to wait until it was released or expired. */
  waited: number;
  /** Runs started again after the worker running them stopped (BullMQ found the job stalled). */
  resumed: number;
  /** Job schedulers the reconcile loop found missing in Redis and made again. */
  recreated: number;
}

/** A fresh set of {@link SchedulerCounts}, all zero. */
export function zeroCounts(): SchedulerCounts {
  return { started: 0, finished: 0, failed: 0, skipped: 0, dropped: 0, waited: 0, resumed: 0, recreated: 0 };
}

/** What one job of a flow needs besides its data. */
export interface FlowJobContext {
  /** Keeps a channel flow to one run at a time, across workers. */
  lock: RunLock;
  /** The channel's flows, built once per worker. */
  service: () => Promise<FlowRunner>;
  /** Where runs, skips and a lost lock are logged. */
  logger: Logger;
  /** Strips secrets from the log lines and from what BullMQ keeps of a failure. */
  redactor: SecretRedactor;
  /** This scheduler's counts, updated in place. */
  counts: SchedulerCounts;
  /** The schedule's interval, when the job comes from an `every` schedule: to count the slots it dropped. */
  every: number | undefined;
}

/**
 * What a scheduled run keeps of its outcomes unless its options say otherwise: the failures its summary
 * lists, no more, so memory does not grow with the run (counts stay complete).
 */
const SCHEDULED_OUTCOMES = { keepOutcomes: 'failures', maxOutcomes: SUMMARY_FAILURES } as const;

/**
 * A waiting run comes back this long after the lock it waits for would expire: Redis has dropped a dead
 * holder's key by then, and a live holder has renewed it twice over.
 */
const WAIT_MARGIN = 50;

/**
 * When a job was due: its slot on the schedule (BullMQ stores a scheduled job with the time it was made
 * and the delay up to its slot, and never rewrites `opts.delay`, even when the job is retried or waits), or
 * when `runNow` added it.
 */
export function scheduledTime(job: Job<JobData>): number {
  const delay = Number(job.opts.delay ?? 0);
  return job.timestamp + (Number.isFinite(delay) && delay > 0 ? delay : 0);
}

/**
 * Runs one job's flow under the channel flow's run lock, and its failure redacted before BullMQ stores it.
 * A run that finds the lock held is not dropped at once: the holder may be a worker that just died, whose
 * lock expires within the lock's TTL. The job is put back (delayed) until then and looks again: the lock is
 * free (the holder ended or died) and the run goes, or a live holder kept it and the run is skipped, logged
 * at `warn` and counted. A run whose lock is lost mid-run is aborted through the flow's `signal`.
 */
export async function runFlowJob(
  job: Job<JobData>,
  token: string | undefined,
  context: FlowJobContext,
): Promise<FlowSummary | SkippedRun> {
  const { lock: runLock, service, logger, redactor, counts } = context;
  const { channelId, flow, options } = job.data;
  const name = `${channelId}:${flow}`;
  const scheduledAt = scheduledTime(job);
  const fields = { channelId, flow, jobId: job.id, scheduledAt: new Date(scheduledAt).toISOString() };
  // Only on the job's first start: later starts (waits, retries, re-runs) are late by their own choice.
  if (job.data.lockWait === undefined && job.attemptsMade === 0 && job.stalledCounter === 0)
    countDropped(job, scheduledAt, context, fields);

  let lock = await runLock.acquire(name);
  const waitMark = `${job.attemptsMade}:${job.stalledCounter}`;
  if (!lock && token !== undefined && job.data.lockWait !== waitMark) {
    const remaining = await runLock.remaining(name);
    // Released between the two looks: take it now rather than wait.
    if (remaining === 0) lock = await runLock.acquire(name);
    if (!lock) {
      await job.updateData({ ...job.data, lockWait: waitMark });
      await job.moveToDelayed(Date.now() + remaining + WAIT_MARGIN, token);
      counts.waited += 1;
      logger.info(
        { ...fields, waitMs: remaining + WAIT_MARGIN },
        'run lock held: waiting until its run ends or its lock expires',
      );
      // Tells BullMQ the job was moved (delayed), not failed: no attempt is used.
      throw new DelayedError();
    }
  }
  if (!lock) {
    counts.skipped += 1;
    countSkippedRun(flow);
    logger.warn(
      fields,
      'skipped: another run of this flow is in progress (its lock was renewed while this trigger waited)',
    );
    return { skipped: true, reason: 'another run of this channel flow is in progress' };
  }

  const held = lock;
  const onLost = () =>
    logger.error(
      { ...fields, error: redactor.redactText(String(held.signal.reason)) },
      'run lock lost: aborting the flow',
    );
  held.signal.addEventListener('abort', onLost, { once: true });
  try {
    const runner = await service();
    const attempt = job.attemptsMade + 1;
    counts.started += 1;
    const startFields = { ...fields, attempt, lateMs: Math.max(0, Date.now() - scheduledAt) };
    if (job.stalledCounter > 0) {
      counts.resumed += 1;
      logger.warn(startFields, 'flow run started again: the worker running it stopped mid-run');
    } else logger.info(startFields, 'flow run started');
    const runContext: FlowRunContext = {
      channelId,
      flow,
      jobId: String(job.id),
      scheduledAt: new Date(scheduledAt),
      attempt,
      signal: held.signal,
    };
    // Called on the runner, as a method: an `OrderService`'s flows read its private fields through `this`.
    const run = runner[flow] as (
      this: FlowRunner,
      options: Record<string, unknown>,
      context: FlowRunContext,
    ) => Promise<FlowResult>;
    const result = summarize(
      await run.call(runner, { ...SCHEDULED_OUTCOMES, ...options, signal: held.signal }, runContext),
      redactor,
    );
    counts.finished += 1;
    logger.info({ ...fields, counts: result.counts }, 'flow run finished');
    return result;
  } catch (thrown) {
    counts.failed += 1;
    // A lost lock is why the flow stopped: say so, rather than a bare "aborted".
    throw storableError(held.signal.aborted ? held.signal.reason : thrown, redactor);
  } finally {
    held.signal.removeEventListener('abort', onLost);
    await held
      .release()
      .catch((error: unknown) =>
        logger.warn(
          { ...fields, error: redactor.redactText(String(error)) },
          'could not release the run lock; it expires by itself',
        ),
      );
  }
}

/**
 * Counts and logs the slots an `every` schedule dropped: BullMQ makes a schedule's next job when the current
 * one starts, from the current time, so a job starting more than one interval late leaves the slots in
 * between without a job. Nothing else would tell an operator that runs went missing.
 */
function countDropped(
  job: Job<JobData>,
  scheduledAt: number,
  { every, counts, logger }: FlowJobContext,
  fields: Record<string, unknown>,
): void {
  if (every === undefined || !job.repeatJobKey) return;
  const lateMs = (job.processedOn ?? Date.now()) - scheduledAt;
  const dropped = Math.floor(lateMs / every);
  if (dropped < 1) return;
  counts.dropped += dropped;
  logger.warn(
    { ...fields, lateMs, dropped },
    'scheduled runs dropped: this run started more than one interval late (add workers or raise concurrency)',
  );
}

/**
 * Logs a failed attempt (`warn` while BullMQ will retry, `error` on the last one) and, on the last one,
 * tells `onFailed`.
 */
export function reportFailedJob(
  job: Job<JobData> | undefined,
  error: Error,
  {
    logger,
    redactor,
    onFailed,
  }: Pick<FlowJobContext, 'logger' | 'redactor'> & {
    onFailed: ((failure: FlowFailure) => void) | undefined;
  },
): void {
  if (!job) return;
  const { channelId, flow } = job.data;
  const final = job.attemptsMade >= (job.opts.attempts ?? 1);
  logger[final ? 'error' : 'warn'](
    {
      channelId,
      flow,
      jobId: job.id,
      attemptsMade: job.attemptsMade,
      error: redactor.redactText(error.message),
    },
    final
      ? 'flow failed on its last attempt; the job is kept as failed'
      : 'flow failed; BullMQ will retry it',
  );
  if (final) onFailed?.({ channelId, flow, jobId: job.id, attemptsMade: job.attemptsMade, error });
}
