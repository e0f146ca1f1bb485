import { inspect } from 'node:util';
import type { Job } from 'bullmq';
import { snapshotError } from '../errors/error-snapshot.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { type FlowSummary, summarize } from './flow-summary.js';
import type { RunLock } from './run-lock.js';
import type { FlowRunner, ScheduledFlow } from './scheduled-flow.js';
import type { FlowFailure } from './scheduler-options.js';

/** What a scheduled job carries. */
export interface JobData {
  /** The channel's id. */
  channelId: string;
  /** The flow to run. */
  flow: ScheduledFlow;
  /** The flow's options. */
  options?: Record<string, unknown>;
}

/** What a job answers when another run of the same channel flow was still going. */
export interface SkippedRun {
  /** Always `true`. */
  skipped: true;
  /** Why it did not run. */
  reason: string;
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
}

/**
 * Runs one job's flow under the channel flow's run lock: skipped (and logged) if another run holds it,
 * aborted through the flow's `signal` if the lock is lost mid-run, and its failure redacted before BullMQ
 * stores it.
 */
export async function runFlowJob(
  job: Job<JobData>,
  { lock: runLock, service, logger, redactor }: FlowJobContext,
): Promise<FlowSummary | SkippedRun> {
  const { channelId, flow, options } = job.data;
  const lock = await runLock.acquire(`${channelId}:${flow}`);
  if (!lock) {
    logger.info({ channelId, flow, jobId: job.id }, 'skipped: another run of this flow is in progress');
    return { skipped: true, reason: 'another run of this channel flow is in progress' };
  }
  const onLost = () =>
    logger.error(
      { channelId, flow, jobId: job.id, error: redactor.redactText(String(lock.signal.reason)) },
      'run lock lost: aborting the flow',
    );
  lock.signal.addEventListener('abort', onLost, { once: true });
  try {
    const runner = await service();
    logger.info({ channelId, flow, jobId: job.id, attempt: job.attemptsMade + 1 }, 'flow run started');
    const result = summarize(await runner[flow]({ ...options, signal: lock.signal }), redactor);
    logger.info({ channelId, flow, jobId: job.id, counts: result.counts }, 'flow run finished');
    return result;
  } catch (thrown) {
    // A lost lock is why the flow stopped: say so, rather than a bare "aborted".
    throw cleanError(lock.signal.aborted ? lock.signal.reason : thrown, redactor);
  } finally {
    lock.signal.removeEventListener('abort', onLost);
    await lock
      .release()
      .catch((error: unknown) =>
        logger.warn(
          { channelId, flow, jobId: job.id, error: redactor.redactText(String(error)) },
          'could not release the run lock; it expires by itself',
        ),
      );
  }
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

/**
 * What BullMQ may keep of a failure: its message becomes the job's `failedReason` and its stack the
 * job's stack trace, both stored in Redis, and the same object goes to the logs and `onFailed`. The
 * flows' errors are redacted where they are made; anything else (or anything still holding a secret
 * the scheduler knows) is replaced by a redacted snapshot.
 */
function cleanError(thrown: unknown, redactor: SecretRedactor): Error {
  if (thrown instanceof Error && isClean(thrown, redactor)) return thrown;
  return snapshotError(thrown, redactor);
}

/** Whether an error shows no secret anywhere: message, stack, and every property down its cause chain. */
function isClean(error: Error, redactor: SecretRedactor): boolean {
  let text: string;
  try {
    text = `${error.message}\n${error.stack ?? ''}\n${inspect(error, { depth: Number.POSITIVE_INFINITY })}`;
  } catch {
    return false;
  }
  return redactor.redactText(text) === text;
}
