import type { ConnectionOptions, Telemetry } from 'bullmq';
import { z } from 'zod';
import type { InvalidPayloadError } from '../errors/channel-errors.js';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger, silentLogger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type { SameShape } from '../foundation/same-shape.js';
import {
  ConnectionSchema,
  connectionFor,
  type RedisConnection,
  redactorWithRedisPassword,
} from '../redis/connection.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
import type { WebhookAdapter, WebhookEvent } from './adapter.js';
import { WEBHOOK_DEFAULTS } from './defaults.js';

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

// Strict: a misspelt option is an error naming it. The fields are documented once, on WebhookHandlerOptions
// below; their defaults are in WEBHOOK_DEFAULTS.
const WebhookHandlerOptionsSchema = z.strictObject({
  connection: ConnectionSchema,
  queueName: QueueNameSchema.optional(),
  channelId: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, dot, dash or underscore'),
  adapter: z.custom<WebhookAdapter>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      isFunction((v as WebhookAdapter).verify) &&
      isFunction((v as WebhookAdapter).parse),
    { message: 'must have verify and parse functions' },
  ),
  maxBodyBytes: z.number().int().min(1).optional(),
  bodyTimeout: z.number().int().min(1).optional(),
  redisTimeout: z.number().int().min(1).optional(),
  dedupWindow: z.number().int().min(1000).optional(),
  keepFailedFor: z.number().int().min(1000).optional(),
  attempts: z.number().int().min(1).optional(),
  backoffDelay: z.number().int().nonnegative().optional(),
  allowVolatileRedis: z.boolean().optional(),
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  onRejected: z
    .custom<(rejection: WebhookRejection) => void | Promise<void>>(isFunction, {
      message: 'must be a function',
    })
    .optional(),
  secrets: z.array(z.string()).optional(),
  telemetry: BullmqTelemetrySchema.optional(),
});

/**
 * Options of {@link createWebhookHandler}. Checked when the handler is made (a misspelt or out-of-range
 * option is an `InvalidOptionsError` naming it).
 */
export interface WebhookHandlerOptions {
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: RedisConnection;
  /** The BullMQ queue (default `channel-app-webhooks`); give the worker the same one. No `:` in it. */
  queueName?: string | undefined;
  /**
   * A stable id of the channel, such as `acme-1` (letters, digits, `.`, `-`, `_`): it starts every job id
   * and picks the worker's service.
   */
  channelId: string;
  /** How to authenticate a call and read its body. */
  adapter: WebhookAdapter;
  /** The largest body read, in bytes (default 1 MiB); a larger one is answered 413 without being read whole. */
  maxBodyBytes?: number | undefined;
  /**
   * How long the whole body may take to arrive, in ms (default 10 000), counted from when the handler
   * starts reading it; a slower one is answered 408 with `Connection: close`. Without it a client that
   * sends its headers and then a byte now and then (slowloris) holds a connection and a handler call for
   * as long as it likes.
   */
  bodyTimeout?: number | undefined;
  /** How long to wait for Redis to store the job, in ms, before answering 503 (default 5000). */
  redisTimeout?: number | undefined;
  /**
   * How long a processed job is kept, in ms (at least 1000, default 24 hours): a re-delivery of the event
   * within this window finds it and is answered 202 without queueing anything. Each kept job holds its
   * order's data.
   */
  dedupWindow?: number | undefined;
  /**
   * How long a job that failed on every attempt is kept for inspection and retry, in ms (at least 1000,
   * default 7 days).
   */
  keepFailedFor?: number | undefined;
  /** Attempts per job before it is kept as failed (default 10); stored with the job when it is queued. */
  attempts?: number | undefined;
  /** First wait before a retry, in ms, doubled each time (default 10 000: ten attempts span about 85 minutes). */
  backoffDelay?: number | undefined;
  /**
   * Accept a Redis that could lose stored events (default `false`): one without persistence (neither AOF
   * nor RDB snapshots) or whose `maxmemory-policy` is not `noeviction`. Without it such a Redis makes
   * `ready()` reject with `VolatileRedisError` and every call answer 503; with it, it is logged at `warn`.
   * For development and tests only: in production a Redis restart would lose events already answered 202.
   */
  allowVolatileRedis?: boolean | undefined;
  /**
   * A pino-compatible logger: refused calls at `warn`, Redis failures at `error`, queued jobs at `debug`,
   * what the persistence check found at `info`.
   */
  logger?: Logger | undefined;
  /**
   * Called for a call whose data failed its schema, after it was answered 422: wire it to an error report
   * in Omnitron or an alert. Its failure is logged, never answered.
   */
  onRejected?: ((rejection: WebhookRejection) => void | Promise<void>) | undefined;
  /**
   * Secret values (the webhook secret, marketplace API keys) to strip from answers and log lines, on top of
   * secret-looking keys and `Authorization` values; the Redis password is added to them.
   */
  secrets?: string[] | undefined;
  /**
   * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
   * to BullMQ's queue as it is, so BullMQ traces its own work too; see the observability guide.
   */
  telemetry?: Telemetry | undefined;
}

// The interface is what users read; the schema checks values at run time. tsc fails here the moment the
// two disagree.
const _sameShape: SameShape<WebhookHandlerOptions, z.input<typeof WebhookHandlerOptionsSchema>> = true;
void _sameShape;

/** {@link WebhookHandlerOptions} once checked and defaulted: what the handler reads. */
export interface WebhookHandlerSettings {
  /** BullMQ connection options for a producer (commands fail at once while Redis is down). */
  connection: ConnectionOptions;
  queueName: string;
  channelId: string;
  adapter: WebhookAdapter;
  maxBodyBytes: number;
  bodyTimeout: number;
  redisTimeout: number;
  dedupWindow: number;
  keepFailedFor: number;
  attempts: number;
  backoffDelay: number;
  allowVolatileRedis: boolean;
  logger: Logger;
  onRejected: ((rejection: WebhookRejection) => void | Promise<void>) | undefined;
  /** Strips the given secrets and the Redis password. */
  redactor: SecretRedactor;
  telemetry: Telemetry | undefined;
}

/**
 * The one resolve step of the handler's options: checks them (throws `InvalidOptionsError` naming each bad
 * one) and applies every default from {@link WEBHOOK_DEFAULTS}.
 */
export function resolveHandlerOptions(options: WebhookHandlerOptions): WebhookHandlerSettings {
  const parsed = WebhookHandlerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('createWebhookHandler', parsed.error);
  const o = parsed.data;
  const d = WEBHOOK_DEFAULTS.handler;
  return {
    connection: connectionFor(o.connection, 'producer'),
    queueName: o.queueName ?? WEBHOOK_DEFAULTS.queueName,
    channelId: o.channelId,
    adapter: o.adapter,
    maxBodyBytes: o.maxBodyBytes ?? d.maxBodyBytes,
    bodyTimeout: o.bodyTimeout ?? d.bodyTimeout,
    redisTimeout: o.redisTimeout ?? d.redisTimeout,
    dedupWindow: o.dedupWindow ?? d.dedupWindow,
    keepFailedFor: o.keepFailedFor ?? d.keepFailedFor,
    attempts: o.attempts ?? d.attempts,
    backoffDelay: o.backoffDelay ?? d.backoffDelay,
    allowVolatileRedis: o.allowVolatileRedis ?? d.allowVolatileRedis,
    logger: o.logger ?? silentLogger,
    onRejected: o.onRejected,
    redactor: redactorWithRedisPassword(o.secrets, o.connection),
    telemetry: o.telemetry,
  };
}
