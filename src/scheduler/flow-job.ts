import { DelayedError, type Job } from 'bullmq';
import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type { FlowCounts, FlowResult } from '../orders/flow-result.js';
import { storableError } from '../reporting/storable-error.js';
import { recordRunLateness } from '../telemetry/scheduler-telemetry.js';
import { countSkippedRun } from '../telemetry/telemetry.js';
import { SCHEDULER_DEFAULTS } from './defaults.js';
import { type FlowSummary, summarize } from './flow-summary.js';
import { errorCode, type LastRun, type LastRunRecords } from './last-run.js';
import type { LockHolder, RunLock } from './run-lock.js';
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
   * Set by the scheduler when the run found its lock held and waited for it (`attempt:stalls|waits|holder`):
   * `holder` is the one it found first. A later look within the same attempt skips the run when that holder
   * is still renewing, or ended normally and another run holds the lock; it waits again when that holder
   * stopped renewing or died (see the scheduler guide).
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
  /** Where each channel flow's last run and skips are kept in Redis, for `fleetStatus()`. */
  records: LastRunRecords;
  /** This worker, as the records name it. */
  worker: string;
}

/**
 * A waiting run comes back this long after the lock it waits for would expire: Redis has dropped a dead
 * holder's key by then, and a live holder has renewed it twice over.
 */
const WAIT_MARGIN = 50;

/** How many times one attempt of a run looks at its lock again before it is skipped all the same. */
const MAX_LOCK_WAITS = 20;

/**
 * Whether a run that found its lock held waits, with its new `lockWait` mark and for how long, or is
 * skipped (`undefined`). The holder it found first (when it came due) decides:
 * - at the first look, it waits until that holder's lock would expire: the holder may be a dead worker;
 * - that holder still renewing at a later look is a live run that overlapped this slot: skipped;
 * - that holder no longer renewing (its worker died while this run waited): it waits for the expiry;
 * - another holder, after the first one ended and released its lock: the first was a live run that
 *   overlapped this slot, and another trigger took the lock after it: skipped;
 * - another holder, after the first one died (its lock expired): a dead worker's resumed run, or another
 *   slot that came due during the outage, took the lock; this one waits for it to end, looking every tenth
 *   of the TTL, so a slot that came due while a worker was dead still runs, once, after the takeover.
 */
function nextLockWait(
  job: Job<JobData>,
  holder: LockHolder,
  ttl: number,
): { lockWait: string; delay: number } | undefined {
  const attempt = `${job.attemptsMade}:${job.stalledCounter}`;
  const [mark, waits, first] = splitLockWait(job.data.lockWait);
  if (mark !== attempt)
    return { lockWait: `${attempt}|1|${holder.token}`, delay: holder.remaining + WAIT_MARGIN };
  if (waits >= MAX_LOCK_WAITS) return undefined;
  if (first === holder.token ? !holder.overdue : holder.earlierEnded) return undefined;
  const delay =
    first === holder.token
      ? holder.remaining
      : Math.min(holder.remaining, Math.max(100, Math.floor(ttl / 10)));
  return { lockWait: `${attempt}|${waits + 1}|${first}`, delay: delay + WAIT_MARGIN };
}

/** `attempt:stalls|waits|token`, as {@link nextLockWait} writes it; the token is last, whole even if it holds a `|`. */
function splitLockWait(lockWait: string | undefined): [string, number, string] {
  if (!lockWait) return ['', 0, ''];
  const [mark = '', waits = '0', ...token] = lockWait.split('|');
  return [mark, Number(waits) || 0, token.join('|')];
}

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
 * free and the run goes; a live holder kept it (or ended, and another trigger took it) and the run is
 * skipped, logged at `warn` and counted; or the holder died and another run took the lock, and this one
 * waits for it (see `nextLockWait`). A run whose lock is lost mid-run is aborted through the flow's
 * `signal`. Each run's end, and each skip, is recorded in Redis for `fleetStatus()`.
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
  if (!lock && token !== undefined) {
    const holder = await runLock.holder(name, splitLockWait(job.data.lockWait)[2]);
    // Released between the two looks: take it now rather than wait.
    if (!holder) lock = await runLock.acquire(name);
    else {
      const wait = nextLockWait(job, holder, runLock.ttl);
      if (wait !== undefined) {
        await job.updateData({ ...job.data, lockWait: wait.lockWait });
        await job.moveToDelayed(Date.now() + wait.delay, token);
        counts.waited += 1;
        logger.info(
          { ...fields, waitMs: wait.delay, holder: holder.owner },
          'run lock held: waiting until its run ends or its lock expires',
        );
        // Tells BullMQ the job was moved (delayed), not failed: no attempt is used.
        throw new DelayedError();
      }
    }
  }
  if (!lock) {
    counts.skipped += 1;
    countSkippedRun(flow);
    await keepRecord(context, fields, (records) => records.skipped(name, new Date()));
    logger.warn(
      fields,
      'skipped: another run of this flow is in progress (its lock was renewed while this trigger waited)',
    );
    return { skipped: true, reason: 'another run of this channel flow is in progress' };
  }

  const held = lock;
  /** The failed run's record, once the flow was called (a failure to build the service is no run). */
  let recordFailure: ((thrown: unknown) => LastRun) | undefined;
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
    // A slot's first start only: a retry or a re-run after a dead worker is late by design.
    if (attempt === 1 && job.stalledCounter === 0)
      recordRunLateness(flow, job.repeatJobKey ? 'schedule' : 'run_now', startFields.lateMs);
    if (job.stalledCounter > 0) {
      counts.resumed += 1;
      logger.warn(startFields, 'flow run started again: the worker running it stopped mid-run');
    } else logger.info(startFields, 'flow run started');
    await keepRecord(context, fields, (records) => records.started(name));
    const startedAt = Date.now();
    const ended = (outcome: LastRun['outcome'], counts: FlowCounts, thrown?: unknown): LastRun => ({
      endedAt: new Date(),
      outcome,
      jobId: String(job.id),
      attempt,
      durationMs: Date.now() - startedAt,
      worker: context.worker,
      counts,
      ...(thrown === undefined ? {} : { errorCode: errorCode(thrown) }),
    });
    recordFailure = (thrown) =>
      ended('failed', { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 }, thrown);
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
      await run.call(
        runner,
        { ...SCHEDULER_DEFAULTS.runOutcomes, ...options, signal: held.signal },
        runContext,
      ),
      redactor,
    );
    counts.finished += 1;
    logger.info({ ...fields, counts: result.counts }, 'flow run finished');
    await keepRecord(context, fields, (records) => records.ended(name, ended('finished', result.counts)));
    return result;
  } catch (thrown) {
    counts.failed += 1;
    const failure = recordFailure?.(held.signal.aborted ? held.signal.reason : thrown);
    if (failure) await keepRecord(context, fields, (records) => records.ended(name, failure));
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

/** Writes a channel flow's record; Redis failing here must not fail the run, so it is only logged. */
async function keepRecord(
  { records, logger, redactor }: FlowJobContext,
  fields: Record<string, unknown>,
  write: (records: LastRunRecords) => Promise<void>,
): Promise<void> {
  try {
    await write(records);
  } catch (error) {
    logger.warn(
      { ...fields, error: redactor.redactText(String(error)) },
      'could not record the run for fleetStatus(); the run itself is unaffected',
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
