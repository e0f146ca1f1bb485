import { z } from 'zod';
import type { InvalidPayloadError } from '../errors/channel-errors.js';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger } from '../foundation/logger.js';
import { ConnectionSchema } from '../redis/connection.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
import type { WebhookAdapter, WebhookEvent } from './adapter.js';

/** The queue both the handler and the worker use unless told otherwise. */
export const DEFAULT_WEBHOOK_QUEUE = 'channel-app-webhooks';

/** A queue name BullMQ accepts: it refuses a `:`, which separates its Redis keys. */
export const QueueNameSchema = z
  .string()
  .min(1)
  .regex(/^[^:]+$/, 'must not contain ":"');

/** A webhook call whose data failed its schema, as {@link WebhookHandlerOptions.onRejected} gets it. */
export interface WebhookRejection {
  /** The channel the call was for. */
  channelId: string;
  /** What the call carried. */
  kind: WebhookEvent['kind'];
  /** The marketplace id of the order, when the data had a readable one. */
  remoteId?: string;
  /** Every offending field. */
  error: InvalidPayloadError;
  /** The data as the adapter mapped it, for an error report; `undefined` when it was not plain data. */
  payload: unknown;
}

const isFunction = (v: unknown) => typeof v === 'function';

const WebhookHandlerOptionsSchema = z.strictObject({
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: ConnectionSchema,
  /** The BullMQ queue (default `channel-app-webhooks`); give the worker the same one. */
  queueName: QueueNameSchema.default(DEFAULT_WEBHOOK_QUEUE),
  /** A stable id of the channel, such as `acme-1`: it starts every job id and picks the worker's service. */
  channelId: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, dot, dash or underscore'),
  /** How to authenticate a call and read its body. */
  adapter: z.custom<WebhookAdapter>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      isFunction((v as WebhookAdapter).verify) &&
      isFunction((v as WebhookAdapter).parse),
    { message: 'must have verify and parse functions' },
  ),
  /** The largest body read, in bytes (default 1 MiB); a larger one is answered 413 without being read whole. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1)
    .default(1024 * 1024),
  /**
   * How long the whole body may take to arrive, in ms (default 10 000), counted from when the handler
   * starts reading it; a slower one is answered 408 with `Connection: close`. Without it a client that
   * sends its headers and then a byte now and then (slowloris) holds a connection and a handler call for
   * as long as it likes.
   */
  bodyTimeout: z.number().int().min(1).default(10_000),
  /** How long to wait for Redis to store the job, in ms, before answering 503 (default 5000). */
  redisTimeout: z.number().int().min(1).default(5000),
  /**
   * How long a processed job is kept, in ms (default 24 hours): a re-delivery of the event within this
   * window finds it and is answered 202 without queueing anything. Each kept job holds its order's data.
   */
  dedupWindow: z
    .number()
    .int()
    .min(1000)
    .default(24 * 60 * 60_000),
  /** How long a job that failed on every attempt is kept for inspection and retry, in ms (default 7 days). */
  keepFailedFor: z
    .number()
    .int()
    .min(1000)
    .default(7 * 24 * 60 * 60_000),
  /** Attempts per job before it is kept as failed (default 10); stored with the job when it is queued. */
  attempts: z.number().int().min(1).default(10),
  /** First wait before a retry, in ms, doubled each time (default 10 000: ten attempts span about 85 minutes). */
  backoffDelay: z.number().int().nonnegative().default(10_000),
  /**
   * Accept a Redis that could lose stored events (default `false`): one without persistence (neither AOF
   * nor RDB snapshots) or whose `maxmemory-policy` is not `noeviction`. Without it such a Redis makes
   * `ready()` reject with `VolatileRedisError` and every call answer 503; with it, it is logged at `warn`.
   * For development and tests only: in production a Redis restart would lose events already answered 202.
   */
  allowVolatileRedis: z.boolean().default(false),
  /**
   * A pino-compatible logger: refused calls at `warn`, Redis failures at `error`, queued jobs at `debug`,
   * what the persistence check found at `info`.
   */
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  /**
   * Called for a call whose data failed its schema, after it was answered 422: wire it to an error report
   * in Omnitron or an alert. Its failure is logged, never answered.
   */
  onRejected: z
    .custom<(rejection: WebhookRejection) => void | Promise<void>>(isFunction, {
      message: 'must be a function',
    })
    .optional(),
  /**
   * Secret values (the webhook secret, marketplace API keys) to strip from answers and log lines, on top of
   * secret-looking keys and `Authorization` values; the Redis password is added to them.
   */
  secrets: z.array(z.string()).optional(),
  /**
   * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
   * to BullMQ's queue as it is, so BullMQ traces its own work too; see the observability guide.
   */
  telemetry: BullmqTelemetrySchema.optional(),
});

/**
 * Options of {@link createWebhookHandler}.
 *
 * @interface
 */
export type WebhookHandlerOptions = z.input<typeof WebhookHandlerOptionsSchema>;

/** The handler's options once checked, defaults filled in. */
export type WebhookHandlerSettings = z.output<typeof WebhookHandlerOptionsSchema>;

/** Checks the handler's options; throws `InvalidOptionsError` naming each bad one. */
export function parseHandlerOptions(options: WebhookHandlerOptions): WebhookHandlerSettings {
  const parsed = WebhookHandlerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('createWebhookHandler', parsed.error);
  return parsed.data;
}
