import { hostname } from 'node:os';
import type { ConnectionOptions, KeepJobs, MetricsOptions, RateLimiterOptions, Telemetry } from 'bullmq';
import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger, silentLogger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type { SameShape } from '../foundation/same-shape.js';
import { FlowOptionsSchemas } from '../orders/flow-options.js';
import { KeepJobsSchema, LimiterSchema, MetricsSchema, WorkerNameSchema } from '../redis/bullmq-options.js';
import {
  ConnectionSchema,
  connectionFor,
  type RedisConnection,
  redactorWithRedisPassword,
} from '../redis/connection.js';
import { eitherBy } from '../redis/either-by.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
import { SCHEDULER_DEFAULTS } from './defaults.js';
import { type FlowRunner, SCHEDULED_FLOWS, type ScheduledFlow } from './scheduled-flow.js';

/** Flow options that cannot travel as JSON: the job passes its own `signal`, and Redis keeps no functions. */
const NOT_JSON = { signal: true, onItem: true, logger: true } as const;

/**
 * The options each scheduled flow takes in a schedule's or `runNow`'s JSON: the checks `OrderService` runs
 * on the flow's options, less what JSON cannot carry. Checked when a channel is registered, so a misspelt
 * option (`concurency`) fails at start-up rather than in every run of the flow.
 */
const ScheduledFlowOptions = {
  fetchAndCreateOrder: FlowOptionsSchemas.importOrders.omit(NOT_JSON),
  updateOrders: FlowOptionsSchemas.updateOrders.omit(NOT_JSON),
  getOrderBatchRequests: FlowOptionsSchemas.flow.omit(NOT_JSON),
  fetchAndCreateCancel: FlowOptionsSchemas.streams.omit(NOT_JSON),
  fetchAndUpdateOrderItems: FlowOptionsSchemas.streams.omit(NOT_JSON),
  fetchAndCreateCancellationRequests: FlowOptionsSchemas.streams.omit(NOT_JSON),
  updateCancellationRequests: FlowOptionsSchemas.updateCancellationRequests.omit(NOT_JSON),
  reconcileOrders: FlowOptionsSchemas.reconcileOrders.omit(NOT_JSON),
} satisfies Record<ScheduledFlow, z.ZodType>;

/** A flow's options as a schedule holds them: plain JSON (checked against the flow by `ScheduledFlowOptions`). */
const JsonOptions = z.record(z.string(), z.unknown());

// Strict: a misspelt field is an error naming it. The fields are documented once, on the interfaces below.
const IntervalScheduleSchema = z.strictObject({
  every: z.number().int().min(10, 'must be at least 10 ms'),
  options: JsonOptions.optional(),
});

const CronScheduleSchema = z.strictObject({
  pattern: z.string({ error: 'must be a cron pattern or the schedule must have every' }).min(1),
  tz: z.string().optional(),
  options: JsonOptions.optional(),
});

/** A flow run every so many ms. */
export interface IntervalSchedule {
  /**
   * Every so many ms (at least 10). Runs fall on the slots `k × every + offset`, with an offset in
   * `[1, every)` derived from the channel id and flow: stable across restarts and workers, and different
   * per channel flow, so a fleet's schedules do not all fire in the same millisecond. The first run is at
   * the first slot after start (within one interval); use `runNow` to run at once.
   */
  every: number;
  /** Options for the flow (`isSync`, `isSuccessLog`, `concurrency`…); plain JSON. */
  options?: Record<string, unknown> | undefined;
}

/** A flow run on a cron pattern. */
export interface CronSchedule {
  /** A cron pattern, such as `*\/5 * * * *`. */
  pattern: string;
  /** Its time zone, such as `Europe/Istanbul` (default UTC). */
  tz?: string | undefined;
  /** Options for the flow (`isSync`, `isSuccessLog`, `concurrency`…); plain JSON. */
  options?: Record<string, unknown> | undefined;
}

/** When a flow runs: every so many ms, or on a cron pattern. Its options are passed to the flow. */
export type FlowSchedule = IntervalSchedule | CronSchedule;

const FlowScheduleSchema = eitherBy<FlowSchedule>('every', IntervalScheduleSchema, CronScheduleSchema);

const ChannelRegistrationSchema = z
  .strictObject({
    id: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, dot, dash or underscore'),
    service: z.custom<() => FlowRunner | Promise<FlowRunner>>((v) => typeof v === 'function', {
      message: 'must be a function returning an OrderService',
    }),
    flows: z.partialRecord(z.enum(SCHEDULED_FLOWS), FlowScheduleSchema),
  })
  .superRefine((channel, ctx) => {
    // Runs even when other fields failed: read `flows` defensively.
    const flows: Record<string, unknown> =
      typeof channel.flows === 'object' && channel.flows ? channel.flows : {};
    for (const flow of SCHEDULED_FLOWS) {
      const options = (flows[flow] as { options?: unknown } | undefined)?.options;
      if (options === undefined) continue;
      const parsed = ScheduledFlowOptions[flow].safeParse(options);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues)
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: ['flows', flow, 'options', ...issue.path],
        });
    }
  });

/** A channel the scheduler runs flows for. */
export interface ChannelRegistration {
  /** A stable id, such as `trendyol-42`; it names the channel's jobs and locks (letters, digits, `.`, `-`, `_`). */
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

// Strict: a misspelt option (`concurency`) is an error naming it, not silently ignored. The fields are
// documented once, on FlowSchedulerOptions below; their defaults are in SCHEDULER_DEFAULTS.
const FlowSchedulerOptionsSchema = z
  .strictObject({
    connection: ConnectionSchema,
    queueName: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).optional(),
    attempts: z.number().int().min(1).optional(),
    backoffDelay: z.number().int().nonnegative().optional(),
    lockTtl: z.number().int().min(1000).optional(),
    reconcileInterval: z.number().int().min(100).optional(),
    keepFailed: z.number().int().nonnegative().optional(),
    removeOnComplete: KeepJobsSchema.optional(),
    removeOnFail: KeepJobsSchema.optional(),
    limiter: LimiterSchema.optional(),
    metrics: MetricsSchema.optional(),
    telemetry: BullmqTelemetrySchema.optional(),
    name: WorkerNameSchema.optional(),
    logger: z
      .custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' })
      .optional(),
    onFailed: z
      .custom<(failure: FlowFailure) => void>((v) => typeof v === 'function', {
        message: 'must be a function',
      })
      .optional(),
    secrets: z.array(z.string()).optional(),
  })
  .refine((options) => options.keepFailed === undefined || options.removeOnFail === undefined, {
    message: 'give keepFailed or removeOnFail, not both',
    path: ['removeOnFail'],
  });

/**
 * Options of {@link FlowScheduler}. Checked when the scheduler is made (a misspelt or out-of-range option
 * is an `InvalidOptionsError` naming it).
 */
export interface FlowSchedulerOptions {
  /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
  connection: RedisConnection;
  /** The BullMQ queue (default `channel-app-flows`). */
  queueName?: string | undefined;
  /**
   * Flows one worker runs at once, over all channels (default 16). Size it from the fleet: runs due per
   * second × their mean duration in seconds is how many run at once on average across the workers; give
   * them at least twice that in slots. 200 channels × 3 flows every 5 s with 20–200 ms flows need about 13
   * at once; 3 workers × 16 keep the p99 lateness under 1 s (`npm run bench:fleet`).
   */
  concurrency?: number | undefined;
  /** Attempts per run before it is kept as failed (default 3). */
  attempts?: number | undefined;
  /** First wait before a retry, in ms, doubled each time (default 30 000). */
  backoffDelay?: number | undefined;
  /**
   * How long a run's lock lasts without renewal, in ms (at least 1000, default 10 000). It is renewed every
   * third of it while the run lives (a failed renewal aborts the run), so it only bounds how long a dead
   * worker's channel flow stays blocked. BullMQ's own job lock lasts four fifths of it and its stalled-job
   * check runs every fifth, so a dead worker's interrupted job is handed to another worker at most this
   * long after the kill, when its run lock has expired too.
   */
  lockTtl?: number | undefined;
  /**
   * How often, in ms, the scheduler checks that its job schedulers are still in Redis and makes again any
   * that are missing (at least 100, default 30 000): a Redis restarted without persistence, or flushed,
   * loses them, and nothing would run again otherwise.
   */
  reconcileInterval?: number | undefined;
  /** Failed jobs kept for inspection (default 1000); `removeOnFail` says it with an age instead. */
  keepFailed?: number | undefined;
  /**
   * How many completed jobs (each with its run's summary) BullMQ keeps: a count, or `{ age, count }` with
   * the age in seconds (default `{ count: 100 }`, under a second of history at 120 runs a second: give an
   * age, `{ age: 3600 }`, to keep an hour). BullMQ's `removeOnComplete`.
   */
  removeOnComplete?: boolean | number | KeepJobs | undefined;
  /**
   * How many failed jobs BullMQ keeps, as `removeOnComplete` (default `{ count: keepFailed }`, 1000). BullMQ's
   * `removeOnFail`; give it or `keepFailed`, not both.
   */
  removeOnFail?: boolean | number | KeepJobs | undefined;
  /**
   * BullMQ's rate limiter: at most `max` runs started per `duration` ms over the whole queue, every worker
   * counting against it, for a fleet that must cap the requests it sends. Runs over it wait in the queue,
   * and start late.
   */
  limiter?: RateLimiterOptions | undefined;
  /**
   * BullMQ's metrics: completed and failed jobs counted per minute in Redis, for `queue.getMetrics()` and
   * Bull Board; `{ maxDataPoints: 20_160 }` keeps two weeks.
   */
  metrics?: MetricsOptions | undefined;
  /**
   * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
   * to the scheduler's queue and worker as it is, so BullMQ traces its own work too; the SDK's run spans
   * and metrics do not need it. See the observability guide.
   */
  telemetry?: Telemetry | undefined;
  /**
   * This worker's name, in its Redis client name (`queue.getWorkers()`, Bull Board) and in the run locks it
   * holds, which `fleetStatus()` reports; default the host name and process id. No spaces.
   */
  name?: string | undefined;
  /**
   * A pino-compatible logger: runs at `info`; skipped triggers, dropped slots, re-runs after a worker died,
   * re-created job schedulers and retries at `warn`; final failures, lost locks and Redis errors at `error`.
   */
  logger?: Logger | undefined;
  /** Called when a flow failed on its last attempt. */
  onFailed?: ((failure: FlowFailure) => void) | undefined;
  /**
   * Secret values (marketplace API keys, passwords) to strip from log lines, from the error `onFailed`
   * gets, and from what BullMQ keeps in Redis (a failed job's reason and stack trace, a finished job's
   * summary), on top of the secret-looking keys and `Authorization` values that are always stripped. The
   * password of a `redis://` URL is added to them. Pass the same list as to `OrderService`.
   */
  secrets?: string[] | undefined;
}

// The interfaces above are what users read; the schemas check values at run time. tsc fails here the
// moment the two disagree.
const _interval: SameShape<IntervalSchedule, z.input<typeof IntervalScheduleSchema>> = true;
const _cron: SameShape<CronSchedule, z.input<typeof CronScheduleSchema>> = true;
const _channel: SameShape<ChannelRegistration, z.input<typeof ChannelRegistrationSchema>> = true;
const _scheduler: SameShape<FlowSchedulerOptions, z.input<typeof FlowSchedulerOptionsSchema>> = true;
void [_interval, _cron, _channel, _scheduler];

/** {@link FlowSchedulerOptions} once checked and defaulted: what the scheduler reads. */
export interface SchedulerSettings {
  /** BullMQ connection options for the queue and the worker (commands wait for Redis). */
  connection: ConnectionOptions;
  queueName: string;
  concurrency: number;
  attempts: number;
  backoffDelay: number;
  lockTtl: number;
  reconcileInterval: number;
  removeOnComplete: boolean | number | KeepJobs;
  removeOnFail: boolean | number | KeepJobs;
  limiter: RateLimiterOptions | undefined;
  metrics: MetricsOptions | undefined;
  telemetry: Telemetry | undefined;
  /** The worker's name for BullMQ, when one was given. */
  name: string | undefined;
  /** Who this worker is in the run locks it holds: its `name`, or the host, and the process id. */
  owner: string;
  logger: Logger;
  onFailed: ((failure: FlowFailure) => void) | undefined;
  /** Strips the given secrets and the Redis password. */
  redactor: SecretRedactor;
}

/**
 * The one resolve step of the scheduler's options: checks them (throws `InvalidOptionsError` naming each
 * bad one) and applies every default from {@link SCHEDULER_DEFAULTS}.
 */
export function resolveSchedulerOptions(options: FlowSchedulerOptions): SchedulerSettings {
  const parsed = FlowSchedulerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('FlowScheduler', parsed.error);
  const o = parsed.data;
  return {
    connection: connectionFor(o.connection, 'worker'),
    queueName: o.queueName ?? SCHEDULER_DEFAULTS.queueName,
    concurrency: o.concurrency ?? SCHEDULER_DEFAULTS.concurrency,
    attempts: o.attempts ?? SCHEDULER_DEFAULTS.attempts,
    backoffDelay: o.backoffDelay ?? SCHEDULER_DEFAULTS.backoffDelay,
    lockTtl: o.lockTtl ?? SCHEDULER_DEFAULTS.lockTtl,
    reconcileInterval: o.reconcileInterval ?? SCHEDULER_DEFAULTS.reconcileInterval,
    removeOnComplete: o.removeOnComplete ?? { ...SCHEDULER_DEFAULTS.removeOnComplete },
    removeOnFail: o.removeOnFail ?? { count: o.keepFailed ?? SCHEDULER_DEFAULTS.keepFailed },
    limiter: o.limiter,
    metrics: o.metrics,
    telemetry: o.telemetry,
    name: o.name,
    owner: `${o.name ?? hostname()}:${process.pid}`,
    logger: o.logger ?? silentLogger,
    onFailed: o.onFailed,
    redactor: redactorWithRedisPassword(o.secrets, o.connection),
  };
}

/**
 * Checks a channel registration, including each flow's options against that flow and that none holds a
 * secret; throws `InvalidOptionsError` otherwise.
 */
export function checkRegistration(channel: ChannelRegistration, redactor: SecretRedactor): void {
  const where = `FlowScheduler channel "${String(channel?.id)}"`;
  // Secrets first: options holding one are refused as such (keep it out of Redis), not merely as an
  // unknown option, whatever else is wrong.
  const flows: Record<string, unknown> =
    typeof channel?.flows === 'object' && channel.flows ? channel.flows : {};
  for (const [flow, schedule] of Object.entries(flows)) {
    const options = (schedule as { options?: unknown } | undefined)?.options;
    if (typeof options === 'object' && options !== null)
      refuseSecrets(redactor, where, `flows.${flow}.options`, options as Record<string, unknown>);
  }
  const parsed = ChannelRegistrationSchema.safeParse(channel);
  if (!parsed.success) throw InvalidOptionsError.fromZod(where, parsed.error);
}

/**
 * Checks the options of a one-off run (`runNow`) as a registration's are checked: against the flow's
 * options, as JSON. Throws `InvalidOptionsError` naming each bad one.
 */
export function checkRunOptions(where: string, flow: ScheduledFlow, options: unknown): void {
  const schema = Object.hasOwn(ScheduledFlowOptions, flow) ? ScheduledFlowOptions[flow] : undefined;
  if (!schema) throw new InvalidOptionsError(where, [`flow: must be one of ${SCHEDULED_FLOWS.join(', ')}`]);
  if (options === undefined) return;
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod(where, parsed.error);
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
