import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { countFor, type FlowResult, type ItemStatus } from '../orders/flow-result.js';
import { storableError } from '../reporting/storable-error.js';
import { inWebhookJobSpan } from '../telemetry/intake-telemetry.js';
import { OrderChunks } from './order-chunks.js';
import { Slots } from './slots.js';
import type { WebhookJobData } from './webhook-job.js';
import {
  resolveWorkerOptions,
  type WebhookRunner,
  type WebhookWorkerOptions,
  type WebhookWorkerSettings,
} from './worker-options.js';

/** One item of a finished webhook job, as Redis keeps it. */
export interface WebhookJobItem {
  /** The order number (or the marketplace id) naming the item. */
  key: string;
  /** Where it ended. */
  status: ItemStatus;
  /** For a failure, its error code. */
  code?: string;
}

/** What a finished webhook job keeps in Redis: counts and statuses, never error objects or order data. */
export interface WebhookJobResult {
  /** The flow that ran: `createOrder` or `createCancel`. */
  flow: FlowResult['flow'];
  /** How many items ended each way. */
  counts: FlowResult['counts'];
  /** Each item's key, status and, for a failure, its error code. */
  items: WebhookJobItem[];
}

/** What a job's flow run says about the job's own items. */
type JobOutcome = Pick<FlowResult, 'flow' | 'counts' | 'items'>;

/**
 * A running webhook worker: it takes the jobs {@link createWebhookHandler} stores, imports their orders a
 * chunk at a time (`createOrders`) and runs `createCancel` for each cancellation. Stop it with
 * {@link WebhookWorker.close} on shutdown.
 */
export class WebhookWorker {
  /** The BullMQ worker, for inspection and its events. */
  readonly worker: Worker<WebhookJobData, WebhookJobResult>;
  readonly #settings: WebhookWorkerSettings;
  readonly #logger: Logger;
  readonly #redactor: SecretRedactor;
  readonly #runners = new Map<string, Promise<WebhookRunner>>();
  /** Each channel's orders waiting for, or in, their chunk's run. */
  readonly #chunks = new Map<string, OrderChunks>();
  /** When each channel's runs last closed stale batch requests. */
  readonly #swept = new Map<string, number>();
  readonly #cancels: Slots;

  /** Checks the options and starts the worker; prefer {@link createWebhookWorker}. */
  constructor(options: WebhookWorkerOptions) {
    this.#settings = resolveWorkerOptions(options);
    this.#logger = this.#settings.logger;
    this.#redactor = this.#settings.redactor;
    const { queueName, concurrency, lockDuration, stalledInterval, maxStalledCount, limiter, metrics, name } =
      this.#settings;
    this.#cancels = new Slots(this.#settings.cancelConcurrency);
    // Order jobs are gathered into chunks by holding many jobs at once (`concurrency`), each waiting in its
    // processor for its chunk's run, rather than by fetching jobs by hand (`getNextJob`): BullMQ then still
    // renews every held job's lock, hands a dead worker's jobs to a live one, retries with backoff and
    // completes each job on its own, so a job is completed only when its own order is in Omnitron, and a
    // worker killed mid-chunk leaves every job of the chunk to be run again (the import recognises orders
    // it already made). By hand, each of those would be this class's to get right.
    this.worker = new Worker(queueName, (job) => inWebhookJobSpan(job, () => this.#process(job)), {
      connection: this.#settings.connection,
      concurrency,
      lockDuration,
      stalledInterval,
      maxStalledCount,
      ...(limiter ? { limiter } : {}),
      ...(metrics ? { metrics } : {}),
      ...(name ? { name } : {}),
      ...(this.#settings.telemetry ? { telemetry: this.#settings.telemetry } : {}),
    });
    this.worker.on('failed', (job, error) => this.#failed(job, error));
    this.worker.on('stalled', (jobId) =>
      this.#logger.warn(
        { queue: queueName, jobId },
        'webhook job taken back from a worker that stopped mid-job; it runs again (createOrders/createCancel are idempotent)',
      ),
    );
    // Without a listener BullMQ prints raw stack traces; these go through the app's logger, redacted.
    this.worker.on('error', (error) =>
      this.#logger.error(
        { queue: queueName, error: this.#redactor.redactText(error.message) },
        'webhook worker error',
      ),
    );
    this.#logger.info({ queue: queueName, concurrency }, 'webhook worker started');
  }

  /** Stops taking jobs, waits for the running ones to finish, and closes the Redis connections. */
  async close(): Promise<void> {
    await this.worker.close();
    this.#logger.info({ queue: this.#settings.queueName }, 'webhook worker stopped');
  }

  async #process(job: Job<WebhookJobData, WebhookJobResult>): Promise<WebhookJobResult> {
    const { channelId, kind } = job.data;
    // A job this version does not understand would fail the same way on every attempt.
    if (kind !== 'order' && kind !== 'cancel')
      throw new UnrecoverableError(`unknown webhook job kind "${String(kind)}"`);
    const fields = { channelId, kind, jobId: job.id, attempt: job.attemptsMade + 1 };
    let result: JobOutcome;
    try {
      const runner = await this.#runner(channelId);
      const { data } = job.data;
      result =
        job.data.kind === 'order'
          ? await this.#order(channelId, runner, job.data.data)
          : await this.#cancels.run(() => runner.createCancel(data as CancelOrderInput));
    } catch (thrown) {
      throw storableError(thrown, this.#redactor);
    }
    const retriable = result.items.find((item) => item.status === 'failed' && item.error?.retriable);
    if (retriable?.error) {
      // Omnitron unreachable, a 5xx, a lock held elsewhere: the item may go through later, so BullMQ retries
      // the job with backoff rather than completing it as failed.
      throw storableError(
        new Error(
          `${retriable.key} failed with a retriable error (${retriable.error.code}): ${retriable.error.message}`,
        ),
        this.#redactor,
      );
    }
    const failed = result.items.find((item) => item.status === 'failed');
    if (failed)
      this.#logger.warn(
        { ...fields, key: failed.key, code: failed.error?.code },
        'webhook job done, its item failed for good (an error report is in Omnitron)',
      );
    else this.#logger.info({ ...fields, counts: result.counts }, 'webhook job done');
    return {
      flow: result.flow,
      counts: result.counts,
      items: result.items.map((item) => ({
        key: item.key,
        status: item.status,
        ...(item.error ? { code: item.error.code } : {}),
      })),
    };
  }

  /** An order job's outcome, from the run of the chunk it joined. */
  async #order(channelId: string, runner: WebhookRunner, order: ChannelOrderInput): Promise<JobOutcome> {
    let chunks = this.#chunks.get(channelId);
    if (!chunks) {
      const { chunkSize: size, chunkWindow: window, chunksInFlight: inFlight } = this.#settings;
      chunks = new OrderChunks({ size, window, inFlight }, (orders) =>
        // Outcomes are matched to jobs, so all are kept; a chunk is small.
        runner.createOrders(orders, { keepOutcomes: 'all', closeStaleBatches: this.#sweepDue(channelId) }),
      );
      this.#chunks.set(channelId, chunks);
    }
    const item = await chunks.add(order);
    const counts = { fetched: 1, created: 0, updated: 0, skipped: 0, failed: 0 };
    counts[countFor(item.status)] += 1;
    return { flow: 'createOrder', counts, items: [item] };
  }

  /**
   * Whether a channel's next run closes stale batch requests: its first in this worker, then one per
   * `staleSweepInterval`. Runs come every `chunkWindow` under load; a sweep in each would add two requests
   * per run for batches that turn stale only after minutes (`staleBatchAfter`).
   */
  #sweepDue(channelId: string): boolean {
    const now = Date.now();
    const last = this.#swept.get(channelId);
    if (last !== undefined && now - last < this.#settings.staleSweepInterval) return false;
    this.#swept.set(channelId, now);
    return true;
  }

  /** The channel's runner, built once per worker; a failed build is forgotten so the next job tries again. */
  #runner(channelId: string): Promise<WebhookRunner> {
    const { service } = this.#settings;
    if (typeof service !== 'function') return Promise.resolve(service);
    let runner = this.#runners.get(channelId);
    if (!runner) {
      runner = Promise.resolve().then(() => service(channelId));
      this.#runners.set(channelId, runner);
      runner.catch(() => this.#runners.delete(channelId));
    }
    return runner;
  }

  /** Logs a failed attempt: `warn` while BullMQ will retry, `error` on the last one, which `onFailed` hears of. */
  #failed(job: Job<WebhookJobData, WebhookJobResult> | undefined, error: Error): void {
    if (!job) return;
    const { channelId, kind } = job.data;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.#logger[final ? 'error' : 'warn'](
      {
        channelId,
        kind,
        jobId: job.id,
        attemptsMade: job.attemptsMade,
        error: this.#redactor.redactText(error.message),
      },
      final
        ? 'webhook job failed on its last attempt; kept as failed'
        : 'webhook job failed; BullMQ will retry it',
    );
    if (final)
      this.#settings.onFailed?.({ channelId, kind, jobId: job.id, attemptsMade: job.attemptsMade, error });
  }
}

/**
 * Starts a worker for the webhook queue: the orders of the jobs it holds are imported in chunks, one
 * `createOrders` run of the channel's service per chunk (see `chunkSize`, `chunkWindow`), each job
 * completed once its own order is in Omnitron; each cancellation runs `createCancel`. Failures are retried
 * with backoff (the attempts set by the handler), a job whose item failed with a retriable error (Omnitron
 * down) too; a worker that dies mid-job (SIGKILL, OOM, a deploy) loses
 * nothing: once its lock expires, BullMQ's stalled-job check gives the job to a live worker, and the
 * flows' idempotency creates the order exactly once.
 *
 * @example
 * ```ts
 * const worker = createWebhookWorker({ connection: { url: process.env.REDIS_URL! }, service, logger });
 * process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
 * ```
 */
export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  return new WebhookWorker(options);
}
