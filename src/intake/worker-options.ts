import type { ConnectionOptions, MetricsOptions, RateLimiterOptions, Telemetry } from 'bullmq';
import { z } from 'zod';
import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger, silentLogger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type { SameShape } from '../foundation/same-shape.js';
import type { FlowResult } from '../orders/flow-result.js';
import { LimiterSchema, MetricsSchema, WorkerNameSchema } from '../redis/bullmq-options.js';
import {
  ConnectionSchema,
  connectionFor,
  type RedisConnection,
  redactorWithRedisPassword,
} from '../redis/connection.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
import { WEBHOOK_DEFAULTS } from './defaults.js';
import { QueueNameSchema } from './handler-options.js';

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

/** The channel's service, or a function building the service of a channel id. */
type WebhookService = WebhookRunner | ((channelId: string) => WebhookRunner | Promise<WebhookRunner>);

// Strict: a misspelt option is an error naming it. The fields are documented once, on WebhookWorkerOptions
// below; their defaults are in WEBHOOK_DEFAULTS.
const WebhookWorkerOptionsSchema = z.strictObject({
  connection: ConnectionSchema,
  queueName: QueueNameSchema.optional(),
  service: z.custom<WebhookService>(
    (v) =>
      isFunction(v) ||
      (typeof v === 'object' &&
        v !== null &&
        isFunction((v as WebhookRunner).createOrders) &&
        isFunction((v as WebhookRunner).createCancel)),
    { message: 'must be an OrderService or a function returning one for a channel id' },
  ),
  concurrency: z.number().int().min(1).optional(),
  cancelConcurrency: z.number().int().min(1).optional(),
  chunkSize: z.number().int().min(1).max(1000).optional(),
  chunkWindow: z.number().int().min(0).max(60_000).optional(),
  staleSweepInterval: z.number().int().min(0).optional(),
  lockDuration: z.number().int().min(1000).optional(),
  stalledInterval: z.number().int().min(500).optional(),
  maxStalledCount: z.number().int().min(0).optional(),
  limiter: LimiterSchema.optional(),
  metrics: MetricsSchema.optional(),
  name: WorkerNameSchema.optional(),
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  onFailed: z
    .custom<(failure: WebhookFailure) => void>(isFunction, { message: 'must be a function' })
    .optional(),
  secrets: z.array(z.string()).optional(),
  telemetry: BullmqTelemetrySchema.optional(),
});

/**
 * Options of {@link createWebhookWorker}. Checked when the worker is made (a misspelt or out-of-range
 * option is an `InvalidOptionsError` naming it).
 */
export interface WebhookWorkerOptions {
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: RedisConnection;
  /** The BullMQ queue (default `channel-app-webhooks`): the handler's. */
  queueName?: string | undefined;
  /**
   * The channel's service (an `OrderService`), or a function building the service of a channel id, for a
   * queue shared by several channels; called once per channel per worker, again after it failed.
   */
  service: WebhookRunner | ((channelId: string) => WebhookRunner | Promise<WebhookRunner>);
  /**
   * Jobs one worker holds at once (default 100). Order jobs wait together for their chunk's run (see
   * `chunkSize`), so keep it at least twice `chunkSize`: one chunk runs while the next gathers.
   */
  concurrency?: number | undefined;
  /** Cancel jobs one worker runs at once (default 4); each is a run of its own. */
  cancelConcurrency?: number | undefined;
  /**
   * At most this many orders are imported in one run, under one batch request (1 to 1000, default 50, the
   * import's chunk).
   */
  chunkSize?: number | undefined;
  /**
   * How long the first order of a chunk waits for more before its run starts, in ms (0 to 60 000, default
   * 500): the longer, the fewer requests per order, the later each order reaches Omnitron. The first run
   * of a channel in a worker starts at once, and up to six chunks of a channel run at once.
   */
  chunkWindow?: number | undefined;
  /**
   * How often a run first closes batch requests that stopped runs left open, per channel and worker, in ms
   * (default 60 000; the first run of each channel always does). Each sweep costs two requests.
   */
  staleSweepInterval?: number | undefined;
  /**
   * How long a running job's lock lasts without renewal, in ms (at least 1000, default 30 000). A worker
   * that dies stops renewing it; once it expires, the next stalled-job check hands the job to a live worker.
   */
  lockDuration?: number | undefined;
  /** How often each worker looks for jobs whose worker died, in ms (at least 500, default 30 000). */
  stalledInterval?: number | undefined;
  /**
   * How many times a job may be taken back from a dead worker before it is failed (default 3): enough for
   * a crash or a deploy, not forever for a job that kills its process every time.
   */
  maxStalledCount?: number | undefined;
  /**
   * BullMQ's rate limiter: at most `max` jobs started per `duration` ms over the whole queue, every worker
   * counting against it, to cap the Omnitron requests a burst of webhooks makes. Jobs over it wait in Redis.
   */
  limiter?: RateLimiterOptions | undefined;
  /**
   * BullMQ's metrics: completed and failed jobs counted per minute in Redis, for `queue.getMetrics()` and
   * Bull Board; `{ maxDataPoints: 20_160 }` keeps two weeks.
   */
  metrics?: MetricsOptions | undefined;
  /** This worker's name, in its Redis client name (`queue.getWorkers()`, Bull Board). No spaces. */
  name?: string | undefined;
  /**
   * A pino-compatible logger: jobs at `info`, retries and jobs taken back from a dead worker at `warn`,
   * final failures and Redis errors at `error`.
   */
  logger?: Logger | undefined;
  /** Called when a job failed on its last attempt (it is then kept as failed for `keepFailedFor`). */
  onFailed?: ((failure: WebhookFailure) => void) | undefined;
  /**
   * Secret values to strip from log lines and from what BullMQ keeps of a failure in Redis, on top of
   * secret-looking keys and `Authorization` values; the Redis password is added to them.
   */
  secrets?: string[] | undefined;
  /**
   * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
   * to BullMQ's worker as it is, so BullMQ traces its own work too; see the observability guide.
   */
  telemetry?: Telemetry | undefined;
}

// The interface is what users read; the schema checks values at run time. tsc fails here the moment the
// two disagree.
const _sameShape: SameShape<WebhookWorkerOptions, z.input<typeof WebhookWorkerOptionsSchema>> = true;
void _sameShape;

/** {@link WebhookWorkerOptions} once checked and defaulted: what the worker reads. */
export interface WebhookWorkerSettings {
  /** BullMQ connection options for a worker (commands wait for Redis). */
  connection: ConnectionOptions;
  queueName: string;
  service: WebhookService;
  concurrency: number;
  cancelConcurrency: number;
  chunkSize: number;
  chunkWindow: number;
  /** Chunk runs of one channel going at once. */
  chunksInFlight: number;
  staleSweepInterval: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  limiter: RateLimiterOptions | undefined;
  metrics: MetricsOptions | undefined;
  name: string | undefined;
  logger: Logger;
  onFailed: ((failure: WebhookFailure) => void) | undefined;
  /** Strips the given secrets and the Redis password. */
  redactor: SecretRedactor;
  telemetry: Telemetry | undefined;
}

/**
 * The one resolve step of the worker's options: checks them (throws `InvalidOptionsError` naming each bad
 * one) and applies every default from {@link WEBHOOK_DEFAULTS}.
 */
export function resolveWorkerOptions(options: WebhookWorkerOptions): WebhookWorkerSettings {
  const parsed = WebhookWorkerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('createWebhookWorker', parsed.error);
  const o = parsed.data;
  const d = WEBHOOK_DEFAULTS.worker;
  return {
    connection: connectionFor(o.connection, 'worker'),
    queueName: o.queueName ?? WEBHOOK_DEFAULTS.queueName,
    service: o.service,
    concurrency: o.concurrency ?? d.concurrency,
    cancelConcurrency: o.cancelConcurrency ?? d.cancelConcurrency,
    chunkSize: o.chunkSize ?? d.chunkSize,
    chunkWindow: o.chunkWindow ?? d.chunkWindow,
    chunksInFlight: d.chunksInFlight,
    staleSweepInterval: o.staleSweepInterval ?? d.staleSweepInterval,
    lockDuration: o.lockDuration ?? d.lockDuration,
    stalledInterval: o.stalledInterval ?? d.stalledInterval,
    maxStalledCount: o.maxStalledCount ?? d.maxStalledCount,
    limiter: o.limiter,
    metrics: o.metrics,
    name: o.name,
    logger: o.logger ?? silentLogger,
    onFailed: o.onFailed,
    redactor: redactorWithRedisPassword(o.secrets, o.connection),
    telemetry: o.telemetry,
  };
}
