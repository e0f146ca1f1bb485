import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { FlowOptionsSchemas } from '../orders/flow-options.js';
import { KeepJobsSchema, LimiterSchema, MetricsSchema, WorkerNameSchema } from '../redis/bullmq-options.js';
import { ConnectionSchema } from '../redis/connection.js';
import { eitherBy } from '../redis/either-by.js';
import { BullmqTelemetrySchema } from '../telemetry/bullmq-telemetry.js';
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

const IntervalScheduleSchema = z.strictObject({
  /**
   * Every so many ms. Runs fall on the slots `k × every + offset`, with an offset in `[1, every)` derived
   * from the channel id and flow: stable across restarts and workers, and different per channel flow, so a
   * fleet's schedules do not all fire in the same millisecond. The first run is at the first slot after
   * start (within one interval); use `runNow` to run at once.
   */
  every: z.number().int().min(10, 'must be at least 10 ms'),
  /** Options for the flow (`isSync`, `isSuccessLog`, `concurrency`…); plain JSON. */
  options: JsonOptions.optional(),
});

const CronScheduleSchema = z.strictObject({
  /** A cron pattern, such as `*\/5 * * * *`. */
  pattern: z.string({ error: 'must be a cron pattern or the schedule must have every' }).min(1),
  /** Its time zone, such as `Europe/Istanbul` (default UTC). */
  tz: z.string().optional(),
  /** Options for the flow (`isSync`, `isSuccessLog`, `concurrency`…); plain JSON. */
  options: JsonOptions.optional(),
});

/**
 * A flow run every so many ms.
 *
 * @interface
 */
export type IntervalSchedule = z.input<typeof IntervalScheduleSchema>;

/**
 * A flow run on a cron pattern.
 *
 * @interface
 */
export type CronSchedule = z.input<typeof CronScheduleSchema>;

/** When a flow runs: every so many ms, or on a cron pattern. Its options are passed to the flow. */
export type FlowSchedule = IntervalSchedule | CronSchedule;

const FlowScheduleSchema = eitherBy<FlowSchedule>('every', IntervalScheduleSchema, CronScheduleSchema);

const ChannelRegistrationSchema = z
  .strictObject({
    /** A stable id, such as `trendyol-42`; it names the channel's jobs and locks. */
    id: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, dot, dash or underscore'),
    /** Builds the channel's `OrderService`; called once per worker, when its first job runs. */
    service: z.custom<() => FlowRunner | Promise<FlowRunner>>((v) => typeof v === 'function', {
      message: 'must be a function returning an OrderService',
    }),
    /** The flows to run and when. */
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

/**
 * A channel the scheduler runs flows for.
 *
 * @interface
 */
export type ChannelRegistration = z.input<typeof ChannelRegistrationSchema>;

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

// Strict: a misspelt option (`concurency`) is an error naming it, not silently ignored.
const FlowSchedulerOptionsSchema = z
  .strictObject({
    /** Where Redis is: `{ url: 'redis://host:6379/0' }`, or BullMQ (ioredis) connection options. */
    connection: ConnectionSchema,
    /** The BullMQ queue (default `channel-app-flows`). */
    queueName: z.string().min(1).default('channel-app-flows'),
    /**
     * Flows one worker runs at once, over all channels (default 16). Size it from the fleet: runs due per
     * second × their mean duration in seconds is how many run at once on average across the workers; give
     * them at least twice that in slots. 200 channels × 3 flows every 5 s with 20–200 ms flows need about 13
     * at once; 3 workers × 16 keep the p99 lateness under 1 s (`npm run bench:fleet`).
     */
    concurrency: z.number().int().min(1).default(16),
    /** Attempts per run before it is kept as failed (default 3). */
    attempts: z.number().int().min(1).default(3),
    /** First wait before a retry, in ms, doubled each time (default 30 000). */
    backoffDelay: z.number().int().nonnegative().default(30_000),
    /**
     * How long a run's lock lasts without renewal, in ms (default 10 000). It is renewed every third of it
     * while the run lives (a failed renewal aborts the run), so it only bounds how long a dead worker's
     * channel flow stays blocked. BullMQ's own job lock lasts four fifths of it and its stalled-job check
     * runs every fifth, so a dead worker's interrupted job is handed to another worker at most this long
     * after the kill, when its run lock has expired too.
     */
    lockTtl: z.number().int().min(1000).default(10_000),
    /**
     * How often, in ms, the scheduler checks that its job schedulers are still in Redis and makes again any
     * that are missing (default 30 000): a Redis restarted without persistence, or flushed, loses them, and
     * nothing would run again otherwise.
     */
    reconcileInterval: z.number().int().min(100).default(30_000),
    /** Failed jobs kept for inspection (default 1000); `removeOnFail` says it with an age instead. */
    keepFailed: z.number().int().nonnegative().optional(),
    /**
     * How many completed jobs (each with its run's summary) BullMQ keeps: a count, or `{ age, count }` with
     * the age in seconds (default `{ count: 100 }`, under a second of history at 120 runs a second: give an
     * age, `{ age: 3600 }`, to keep an hour). BullMQ's `removeOnComplete`.
     */
    removeOnComplete: KeepJobsSchema.default({ count: 100 }),
    /**
     * How many failed jobs BullMQ keeps, as `removeOnComplete` (default `{ count: keepFailed }`, 1000). BullMQ's
     * `removeOnFail`; give it or `keepFailed`, not both.
     */
    removeOnFail: KeepJobsSchema.optional(),
    /**
     * BullMQ's rate limiter: at most `max` runs started per `duration` ms over the whole queue, every worker
     * counting against it, for a fleet that must cap the requests it sends. Runs over it wait in the queue,
     * and start late.
     */
    limiter: LimiterSchema.optional(),
    /**
     * BullMQ's metrics: completed and failed jobs counted per minute in Redis, for `queue.getMetrics()` and
     * Bull Board; `{ maxDataPoints: 20_160 }` keeps two weeks.
     */
    metrics: MetricsSchema.optional(),
    /**
     * BullMQ's own OpenTelemetry support (`new BullMQOtel('my-app')` from the `bullmq-otel` package), passed
     * to the scheduler's queue and worker as it is, so BullMQ traces its own work too; the SDK's run spans
     * and metrics do not need it. See the observability guide.
     */
    telemetry: BullmqTelemetrySchema.optional(),
    /**
     * This worker's name, in its Redis client name (`queue.getWorkers()`, Bull Board) and in the run locks it
     * holds, which `fleetStatus()` reports; default the host name and process id. No spaces.
     */
    name: WorkerNameSchema.optional(),
    /**
     * A pino-compatible logger: runs at `info`; skipped triggers, dropped slots, re-runs after a worker died,
     * re-created job schedulers and retries at `warn`; final failures, lost locks and Redis errors at `error`.
     */
    logger: z
      .custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' })
      .optional(),
    /** Called when a flow failed on its last attempt. */
    onFailed: z
      .custom<(failure: FlowFailure) => void>((v) => typeof v === 'function', {
        message: 'must be a function',
      })
      .optional(),
    /**
     * Secret values (marketplace API keys, passwords) to strip from log lines, from the error `onFailed`
     * gets, and from what BullMQ keeps in Redis (a failed job's reason and stack trace, a finished job's
     * summary), on top of the secret-looking keys and `Authorization` values that are always stripped. The
     * password of a `redis://` URL is added to them. Pass the same list as to `OrderService`.
     */
    secrets: z.array(z.string()).optional(),
  })
  .refine((options) => options.keepFailed === undefined || options.removeOnFail === undefined, {
    message: 'give keepFailed or removeOnFail, not both',
    path: ['removeOnFail'],
  });

/**
 * Options of {@link FlowScheduler}.
 *
 * @interface
 */
export type FlowSchedulerOptions = z.input<typeof FlowSchedulerOptionsSchema>;

/** The scheduler's options once checked, defaults filled in. */
export type SchedulerSettings = z.output<typeof FlowSchedulerOptionsSchema>;

/** Checks the scheduler's options and fills in the defaults; throws `InvalidOptionsError` naming each bad one. */
export function parseSchedulerOptions(options: FlowSchedulerOptions): SchedulerSettings {
  const parsed = FlowSchedulerOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('FlowScheduler', parsed.error);
  return parsed.data;
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
