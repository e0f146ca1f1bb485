import type { Attributes, BatchObservableResult, Counter, Meter, ObservableGauge } from '@opentelemetry/api';
import { instrumentsOf } from './meter.js';

/**
 * OpenTelemetry's attribute for a queue's name (its messaging conventions are still "development", so
 * not in the package's stable entry point): spelt here once.
 */
export const ATTR_QUEUE_NAME = 'messaging.destination.name';

/** What the gauges read of a BullMQ queue: two cheap Redis calls at each collection. */
export interface ObservedQueue {
  readonly name: string;
  getJobCounts(...types: 'wait'[]): Promise<Record<string, number>>;
  getWaiting(start: number, end: number): Promise<WaitingJob[]>;
}

/** What the age gauge reads of a waiting job. */
export interface WaitingJob {
  /** When the job was stored, in ms. */
  timestamp: number;
  /** A delayed job's delay (a scheduled run's wait for its slot), which it did not spend waiting. */
  opts?: { delay?: number | undefined };
}

/** Since when a job has waited for a worker: when it was stored, or when its delay ended. */
function waitingSince(job: WaitingJob): number {
  return job.timestamp + Math.max(0, Number(job.opts?.delay) || 0);
}

/** The longest a collection waits for Redis: an unreachable one must not hold up every other metric. */
const READ_TIMEOUT_MS = 1000;

/** The queues observed, read by whichever provider's gauges are current. */
const observed = new Set<ObservedQueue>();

function makeGauges(meter: Meter) {
  const depth: ObservableGauge = meter.createObservableGauge('channel_app.queue.depth', {
    unit: '{job}',
    description: 'Jobs waiting in a queue for a worker to take them (webhook events, scheduled runs).',
  });
  const oldestAge: ObservableGauge = meter.createObservableGauge('channel_app.queue.oldest_age', {
    unit: 's',
    description:
      'How long the oldest job waiting in a queue has waited for a worker (since it was stored, or since its slot for a scheduled run); 0 when none waits.',
  });
  const readErrors = meter.createCounter('channel_app.queue.read_errors', {
    description:
      'Collections that could not read a queue from Redis (it failed or did not answer in time); the gauges then keep their last value.',
  });
  const gauges = { depth, oldestAge, readErrors };
  meter.addBatchObservableCallback(
    async (result) => {
      await Promise.all([...observed].map((queue) => observe(queue, result, gauges)));
    },
    [depth, oldestAge],
  );
  return gauges;
}

const gauges = instrumentsOf(makeGauges);

/**
 * Reads one queue's waiting jobs and the age of the oldest. A Redis that fails or does not answer in
 * time gives no new value (the SDK serves the last one again) and counts a read error; never an exception.
 */
async function observe(
  queue: ObservedQueue,
  result: BatchObservableResult,
  {
    depth,
    oldestAge,
    readErrors,
  }: { depth: ObservableGauge; oldestAge: ObservableGauge; readErrors: Counter },
): Promise<void> {
  const attributes: Attributes = { [ATTR_QUEUE_NAME]: queue.name };
  let timer: NodeJS.Timeout | undefined;
  const reads = Promise.all([queue.getJobCounts('wait'), queue.getWaiting(0, 0)]);
  reads.catch(() => undefined);
  try {
    const [counts, [oldest]] = await Promise.race([
      reads,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not answer in time')), READ_TIMEOUT_MS);
      }),
    ]);
    result.observe(depth, counts.wait ?? 0, attributes);
    result.observe(oldestAge, oldest ? Math.max(0, Date.now() - waitingSince(oldest)) / 1000 : 0, attributes);
  } catch {
    // Redis away: counted here; its errors are logged by the queue's own error listener.
    readErrors.add(1, attributes);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reports the queue's depth and the age of its oldest waiting job as `channel_app.queue.depth` and
 * `channel_app.queue.oldest_age`, read from Redis at each collection; returns a function that stops it.
 * Register the OpenTelemetry SDK before: gauges made by an earlier provider are not moved over until
 * another metric of the SDK is recorded.
 */
export function observeQueue(queue: ObservedQueue): () => void {
  gauges();
  observed.add(queue);
  return () => {
    observed.delete(queue);
  };
}

/** Makes the gauges for the current provider if it changed (called when other metrics are recorded). */
export function refreshQueueGauges(): void {
  gauges();
}
