import { z } from 'zod';
import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger } from '../foundation/logger.js';
import type { FlowResult } from '../orders/flow-result.js';
import { LimiterSchema, MetricsSchema, WorkerNameSchema } from '../redis/bullmq-options.js';
import { ConnectionSchema } from '../redis/connection.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
import { DEFAULT_WEBHOOK_QUEUE, QueueNameSchema } from './handler-options.js';

/**
 * What the worker needs of a channel: two flows of `OrderService`. Both are idempotent (an order or
 * cancellation already in Omnitron is recognised, never created twice), which is what makes a job safe to
 * run again after a worker died mid-way.
 */
export interface WebhookRunner {
  /** `OrderService.createOrders`: the orders of several jobs in one run. */
  createOrders(orders: readonly ChannelOrderInput[], options?: WebhookRunOptions): Promise<FlowResult>;
  /** `OrderService.createCancel`. */
  createCancel(cancel: CancelOrderInput): Promise<FlowResult>;
}

/** The options the worker passes to {@link WebhookRunner.createOrders} (a subset of `OrderService`'s). */
export interface WebhookRunOptions {
  /** Always `all`: each job's outcome is looked up in the result. */
  keepOutcomes: 'all';
  /** Whether the run first closes batch requests stopped runs left open (once per `staleSweepInterval`). */
  closeStaleBatches: boolean;
}

/** A webhook job that failed on its last attempt, as {@link WebhookWorkerOptions.onFailed} gets it. */
export interface WebhookFailure {
  /** The channel's id. */
  channelId: string;
  /** What the job carried. */
  kind: 'order' | 'cancel';
  /** The BullMQ job id (`channel:kind:remoteId`). */
  jobId: string | undefined;
  /** How many attempts were made. */
  attemptsMade: number;
  /** The last attempt's error, redacted. */
  error: Error;
}

const isFunction = (v: unknown) => typeof v === 'function';

const WebhookWorkerOptionsSchema = z.strictObject({
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: ConnectionSchema,
  /** The BullMQ queue (default `channel-app-webhooks`): the handler's. */
  queueName: QueueNameSchema.default(DEFAULT_WEBHOOK_QUEUE),
  /**
   * The channel's service (an `OrderService`), or a function building the service of a channel id, for a
   * queue shared by several channels; called once per channel per worker, again after it failed.
   */
  service: z.custom<WebhookRunner | ((channelId: string) => WebhookRunner | Promise<WebhookRunner>)>(
    (v) =>
      isFunction(v) ||
      (typeof v === 'object' &&
        v !== null &&
        isFunction((v as WebhookRunner).createOrders) &&
        isFunction((v as WebhookRunner).createCancel)),
    { message: 'must be an OrderService or a function returning one for a channel id' },
  ),
  /**
   * Jobs one worker holds at once (default 100). Order jobs wait together for their chunk's run (see
   * `chunkSize`), so keep it at least twice `chunkSize`: one chunk runs while the next gathers.
   */
  concurrency: z.number().int().min(1).default(100),
  /** Cancel jobs one worker runs at once (default 4); each is a run of its own. */
  cancelConcurrency: z.number().int().min(1).default(4),
  /**
   * At most this many orders are imported in one run, under one batch request (default 50, the import's
   * chunk).
   */
  chunkSize: z.number().int().min(1).max(1000).default(50),
  /**
   * How long the first order of a chunk waits for more before its run starts, in ms (default 500): the
   * longer, the fewer requests per order, the later each order reaches Omnitron.
   */
  chunkWindow: z.number().int().min(0).max(60_000).default(500),
  /**
   * How often a run first closes batch requests that stopped runs left open, per channel and worker, in ms
   * (default 60 000; the first run of each channel always does). Each sweep costs two requests.
   */
  staleSweepInterval: z.number().int().min(0).default(60_000),
  /**
   * How long a running job's lock lasts without renewal, in ms (default 30 000). A worker that dies
   * stops renewing it; once it expires, the next stalled-job check hands the job to a live worker.
   */
  lockDuration: z.number().int().min(1000).default(30_000),
  /** How often each worker looks for jobs whose worker died, in ms (default 30 000). */
  stalledInterval: z.number().int().min(500).default(30_000),
  /**
   * How many times a job may be taken back from a dead worker before it is failed (default 3): enough for
   * a crash or a deploy, not forever for a job that kills its process every time.
   */
  maxStalledCount: z.number().int().min(0).default(3),
  /**
   * BullMQ's rate limiter: at most `max` jobs started per `duration` ms over the whole queue, every worker
   * counting against it, to cap the Omnitron requests a burst of webhooks makes. Jobs over it wait in Redis.
   */
  limiter: LimiterSchema.optional(),
  /**
   * BullMQ's metrics: completed and failed jobs counted per minute in Redis, for `queue.getMetrics()` and
   * Bull Board; `{ maxDataPoints: 20_160 }` keeps two weeks.
   */
  metrics: MetricsSchema.optional(),
  /** This worker's name, in its Redis client name (`queue.getWorkers()`, Bull Board). No spaces. */
  name: WorkerNameSchema.optional(),
  /**
   * A pino-compatible logger: jobs at `info`, retries and jobs taken back from a dead worker at `warn`,
   * final failures and Redis errors at `error`.
   */
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  /** Called when a job failed on its last attempt (it is then kept as failed for `keepFailedFor`). */
  onFailed: z
    .custom<(failure: WebhookFailure) => void>(isFunction, { message: 'must be a function' })
    .optional(),
  /**
   * Secret values to strip from log lines and from what BullMQ keeps of a failure in Redis, on top of
   * secret-looking keys and `Authorization` values; the Redis password is added to them.
   */
  secrets: z.array(z.string()).optional(),
  /**
   * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
   * to BullMQ's worker as it is, so BullMQ traces its own work too; see the observability guide.
   */
  telemetry: BullmqTelemetrySchema.optional(),
});

/**
 * Options of {@link createWebhookWorker}.
 *
 * @interface
 */
export type WebhookWorkerOptions = z.input<typeof WebhookWorkerOptionsSchema>;

/** The worker's options once checked, defaults filled in. */
export type WebhookWorkerSettings = z.output<typeof WebhookWorkerOptionsSchema>;

/** Checks the worker's options; throws `InvalidOptionsError` naming each bad one. */
export function parseWorkerOptions(options: WebhookWorkerOptions): WebhookWorkerSettings {
  const parsed = WebhookWorkerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('createWebhookWorker', parsed.error);
  return parsed.data;
}
