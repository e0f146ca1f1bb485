import type { ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import { isLogger, type Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { type FlowRunner, SCHEDULED_FLOWS, type ScheduledFlow } from './scheduled-flow.js';

/** When a flow runs: every so many ms, or on a cron pattern. Its options are passed to the flow. */
export type FlowSchedule = (
  | {
      /** Every so many ms (the first run starts at once). */
      every: number;
    }
  | {
      /** A cron pattern, such as `*\/5 * * * *`. */
      pattern: string;
      /** Its time zone, such as `Europe/Istanbul` (default UTC). */
      tz?: string;
    }
) & {
  /** Options for the flow (`isSync`, `isSuccessLog`, `concurrency`…); plain JSON. */
  options?: Record<string, unknown>;
};

/** A channel the scheduler runs flows for. */
export interface ChannelRegistration {
  /** A stable id, such as `trendyol-42`; it names the channel's jobs and locks. */
  id: string;
  /** Builds the channel's `OrderService`; called once per worker, when its first job runs. */
  service: () => FlowRunner | Promise<FlowRunner>;
  /** The flows to run and when. */
  flows: Partial<Record<ScheduledFlow, FlowSchedule>>;
}

/** A flow that failed for good: every attempt was used. */
export interface FlowFailure {
  /** The channel's id. */
  channelId: string;
  /** The flow. */
  flow: ScheduledFlow;
  /** The BullMQ job id. */
  jobId: string | undefined;
  /** How many attempts were made. */
  attemptsMade: number;
  /** The last attempt's error. */
  error: Error;
}

/** A Redis server by URL. */
export interface RedisUrl {
  /** `redis://[user:password@]host:port/db` (or `rediss://` for TLS). */
  url: string;
}

/** Options of {@link FlowScheduler}. */
export interface FlowSchedulerOptions {
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: RedisUrl | ConnectionOptions;
  /** The BullMQ queue (default `channel-app-flows`). */
  queueName?: string;
  /** Flows one worker runs at once, over all channels (default 4). */
  concurrency?: number;
  /** Attempts per run before it is kept as failed (default 3). */
  attempts?: number;
  /** First wait before a retry, in ms, doubled each time (default 30 000). */
  backoffDelay?: number;
  /** How long a run's lock lasts without renewal, in ms (default 60 000; renewed while the run lives). */
  lockTtl?: number;
  /** Failed jobs kept for inspection (default 1000). */
  keepFailed?: number;
  /** A pino-compatible logger: runs at `info`, skipped triggers at `info`, retries at `warn`, final failures at `error`. */
  logger?: Logger;
  /** Called when a flow failed on its last attempt. */
  onFailed?: (failure: FlowFailure) => void;
  /**
   * Secret values (marketplace API keys, passwords) to strip from log lines, from the error `onFailed`
   * gets, and from what BullMQ keeps in Redis (a failed job's reason and stack trace, a finished job's
   * summary), on top of the secret-looking keys and `Authorization` values that are always stripped. The
   * password of a `redis://` URL is added to them. Pass the same list as to `OrderService`.
   */
  secrets?: string[];
}

const Schedule = z.union([
  z.object({
    every: z.number().int().min(10, 'must be at least 10 ms'),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    pattern: z.string().min(1),
    tz: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const Registration = z.object({
  id: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, dot, dash or underscore'),
  service: z.custom<ChannelRegistration['service']>((v) => typeof v === 'function', {
    message: 'must be a function returning an OrderService',
  }),
  flows: z.partialRecord(z.enum(SCHEDULED_FLOWS), Schedule),
});

const Options = z.object({
  connection: z.union([
    z.object({ url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL') }),
    z.record(z.string(), z.unknown()),
  ]),
  queueName: z.string().min(1).default('channel-app-flows'),
  concurrency: z.number().int().min(1).default(4),
  attempts: z.number().int().min(1).default(3),
  backoffDelay: z.number().int().nonnegative().default(30_000),
  lockTtl: z.number().int().min(1000).default(60_000),
  keepFailed: z.number().int().nonnegative().default(1000),
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  onFailed: z
    .custom<(failure: FlowFailure) => void>((v) => typeof v === 'function', { message: 'must be a function' })
    .optional(),
  secrets: z.array(z.string()).optional(),
});

/** The scheduler's options once checked, defaults filled in. */
export type SchedulerSettings = z.infer<typeof Options>;

/** Checks the scheduler's options and fills in the defaults; throws `InvalidOptionsError` naming each bad one. */
export function parseSchedulerOptions(options: FlowSchedulerOptions): SchedulerSettings {
  const parsed = Options.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('FlowScheduler', parsed.error);
  return parsed.data;
}

/**
 * Checks a channel registration, including that no flow's options hold a secret; throws
 * `InvalidOptionsError` otherwise.
 */
export function checkRegistration(channel: ChannelRegistration, redactor: SecretRedactor): void {
  const parsed = Registration.safeParse(channel);
  if (!parsed.success)
    throw InvalidOptionsError.fromZod(`FlowScheduler channel "${String(channel?.id)}"`, parsed.error);
  for (const [flow, schedule] of Object.entries(channel.flows))
    refuseSecrets(
      redactor,
      `FlowScheduler channel "${channel.id}"`,
      `flows.${flow}.options`,
      schedule?.options,
    );
}

/** Flow options are stored in Redis as job data: refuse any that hold a secret. */
export function refuseSecrets(
  redactor: SecretRedactor,
  where: string,
  path: string,
  options: Record<string, unknown> | undefined,
): void {
  if (options === undefined) return;
  if (JSON.stringify(redactor.redactValue(options)) === JSON.stringify(options)) return;
  throw new InvalidOptionsError(where, [
    `${path}: holds a secret; flow options are stored in Redis as job data, so keep secrets out of them`,
  ]);
}

/** The password of a `redis://` URL, so it never shows in a log line; `undefined` otherwise. */
export function redisPassword(connection: RedisUrl | ConnectionOptions): string | undefined {
  try {
    if ('url' in connection && typeof connection.url === 'string')
      return decodeURIComponent(new URL(connection.url).password) || undefined;
    const password = (connection as { password?: unknown }).password;
    return typeof password === 'string' ? password : undefined;
  } catch {
    return undefined;
  }
}

/** BullMQ connection options for a `redis://` URL (or the options as given). */
export function connectionOptions(connection: RedisUrl | ConnectionOptions): ConnectionOptions {
  if (!('url' in connection) || typeof connection.url !== 'string') return connection as ConnectionOptions;
  const url = new URL(connection.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number(url.pathname.slice(1) || 0),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers need it: a blocked command must not time out.
    maxRetriesPerRequest: null,
  };
}
