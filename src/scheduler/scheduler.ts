import { inspect } from 'node:util';
import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { snapshotError } from '../errors/error-snapshot.js';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import type { OrderService } from '../orders/order-service.js';
import { isLogger, type Logger, silentLogger } from '../reporting/logger.js';
import { SecretRedactor } from '../reporting/redact.js';
import { type FlowSummary, summarize } from './flow-summary.js';
import { type LockRedis, RunLock } from './run-lock.js';

/** The flows a scheduler can run. */
export type ScheduledFlow =
  | 'fetchAndCreateOrder'
  | 'updateOrders'
  | 'getOrderBatchRequests'
  | 'fetchAndCreateCancel'
  | 'fetchAndUpdateOrderItems'
  | 'fetchAndCreateCancellationRequests'
  | 'updateCancellationRequests';

/** What runs a channel's flows: an `OrderService` (or anything with the same flow methods). */
export type FlowRunner = Pick<OrderService, ScheduledFlow>;

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

/** What a job answers when another run of the same channel flow was still going. */
export interface SkippedRun {
  /** Always `true`. */
  skipped: true;
  /** Why it did not run. */
  reason: string;
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

const FLOWS = [
  'fetchAndCreateOrder',
  'updateOrders',
  'getOrderBatchRequests',
  'fetchAndCreateCancel',
  'fetchAndUpdateOrderItems',
  'fetchAndCreateCancellationRequests',
  'updateCancellationRequests',
] as const;

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
  flows: z.partialRecord(z.enum(FLOWS), Schedule),
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

/** What a scheduled job carries. */
export interface JobData {
  /** The channel's id. */
  channelId: string;
  /** The flow to run. */
  flow: ScheduledFlow;
  /** The flow's options. */
  options?: Record<string, unknown>;
}

/**
 * Runs channel flows on a schedule with BullMQ, across any number of worker processes: one run at a time
 * per channel and flow (a second trigger while one runs is skipped and logged), failures retried with
 * backoff and then kept as failed jobs, and a graceful stop that lets running flows finish.
 *
 * @example
 * ```ts
 * const scheduler = new FlowScheduler({ connection: { url: process.env.REDIS_URL }, logger });
 * scheduler.register({
 *   id: 'acme-1',
 *   service: () => new OrderService({ omnitron, channel: new AcmeChannel(api), logger }),
 *   flows: { fetchAndCreateOrder: { every: 60_000 }, updateOrders: { pattern: '*\/5 * * * *' } },
 * });
 * await scheduler.start();
 * scheduler.stopOnSignals();
 * ```
 */
export class FlowScheduler {
  readonly #options: z.infer<typeof Options>;
  readonly #connection: ConnectionOptions;
  readonly #logger: Logger;
  readonly #redactor: SecretRedactor;
  readonly #channels = new Map<string, ChannelRegistration>();
  readonly #services = new Map<string, Promise<FlowRunner>>();
  #queue: Queue<JobData, FlowSummary | SkippedRun> | undefined;
  #worker: Worker<JobData, FlowSummary | SkippedRun> | undefined;
  #lock: RunLock | undefined;

  constructor(options: FlowSchedulerOptions) {
    const parsed = Options.safeParse(options);
    if (!parsed.success) throw InvalidOptionsError.fromZod('FlowScheduler', parsed.error);
    this.#options = parsed.data;
    this.#connection = connectionOptions(options.connection);
    this.#logger = parsed.data.logger ?? silentLogger;
    this.#redactor = new SecretRedactor([...(parsed.data.secrets ?? []), redisPassword(options.connection)]);
  }

  /** Adds a channel and its flow schedules; call before {@link FlowScheduler.start}. */
  register(channel: ChannelRegistration): this {
    const parsed = Registration.safeParse(channel);
    if (!parsed.success)
      throw InvalidOptionsError.fromZod(`FlowScheduler channel "${String(channel?.id)}"`, parsed.error);
    for (const [flow, schedule] of Object.entries(channel.flows))
      this.#refuseSecrets(
        `FlowScheduler channel "${channel.id}"`,
        `flows.${flow}.options`,
        schedule?.options,
      );
    this.#channels.set(channel.id, channel);
    return this;
  }

  /** The BullMQ queue, once started: for inspection (failed jobs, counts). */
  get queue(): Queue<JobData, FlowSummary | SkippedRun> | undefined {
    return this.#queue;
  }

  /**
   * Creates (or updates) the job schedulers of every registered flow and starts a worker. Several
   * processes may start schedulers for the same channels: schedules are shared, runs never overlap.
   */
  async start(options: { worker?: boolean } = {}): Promise<void> {
    const { queueName, attempts, backoffDelay, keepFailed, lockTtl, concurrency } = this.#options;
    this.#queue = new Queue(queueName, { connection: this.#connection });
    this.#lock = new RunLock((await this.#queue.client) as unknown as LockRedis, {
      ttl: lockTtl,
      prefix: `${queueName}:run-lock`,
    });
    for (const channel of this.#channels.values()) {
      for (const [flow, schedule] of Object.entries(channel.flows) as [ScheduledFlow, FlowSchedule][]) {
        const repeat =
          'every' in schedule
            ? { every: schedule.every }
            : { pattern: schedule.pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) };
        await this.#queue.upsertJobScheduler(`${channel.id}:${flow}`, repeat, {
          name: `${channel.id}:${flow}`,
          data: { channelId: channel.id, flow, ...(schedule.options ? { options: schedule.options } : {}) },
          opts: {
            attempts,
            backoff: { type: 'exponential', delay: backoffDelay },
            removeOnComplete: { count: 100 },
            removeOnFail: { count: keepFailed },
          },
        });
      }
    }
    if (options.worker === false) return;
    this.#worker = new Worker(queueName, (job) => this.#run(job), {
      connection: this.#connection,
      concurrency,
    });
    this.#worker.on('failed', (job, error) => this.#failed(job, error));
    this.#worker.on('error', (error) =>
      this.#logger.error({ error: this.#redactor.redactText(error.message) }, 'scheduler worker error'),
    );
    this.#logger.info({ queue: queueName, channels: [...this.#channels.keys()] }, 'scheduler started');
  }

  /** Runs a channel flow now, once (besides its schedule); the same one-at-a-time rule applies. */
  async runNow(
    channelId: string,
    flow: ScheduledFlow,
    options?: Record<string, unknown>,
  ): Promise<Job<JobData, FlowSummary | SkippedRun>> {
    if (!this.#queue) throw new Error('FlowScheduler: call start() first');
    this.#refuseSecrets('FlowScheduler.runNow', 'options', options);
    const { attempts, backoffDelay, keepFailed } = this.#options;
    return this.#queue.add(
      `${channelId}:${flow}`,
      { channelId, flow, ...(options ? { options } : {}) },
      {
        attempts,
        backoff: { type: 'exponential', delay: backoffDelay },
        removeOnComplete: { count: 100 },
        removeOnFail: { count: keepFailed },
      },
    );
  }

  /** Stops taking jobs, waits for the flows that are running to finish, and closes the connections. */
  async stop(): Promise<void> {
    await this.#worker?.close();
    await this.#queue?.close();
    this.#worker = undefined;
    this.#queue = undefined;
    this.#logger.info({}, 'scheduler stopped');
  }

  /** Stops gracefully on SIGTERM or SIGINT, then exits; returns a function that removes the handlers. */
  stopOnSignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
    const handler = (signal: NodeJS.Signals) => {
      this.#logger.info({ signal }, 'stopping: waiting for running flows');
      void this.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    for (const signal of signals) process.once(signal, handler);
    return () => {
      for (const signal of signals) process.off(signal, handler);
    };
  }

  async #run(job: Job<JobData>): Promise<FlowSummary | SkippedRun> {
    const { channelId, flow, options } = job.data;
    const channel = this.#channels.get(channelId);
    if (!channel) throw new UnrecoverableError(`No channel "${channelId}" is registered with this scheduler`);
    const lock = await this.#lock?.acquire(`${channelId}:${flow}`);
    if (!lock) {
      this.#logger.info(
        { channelId, flow, jobId: job.id },
        'skipped: another run of this flow is in progress',
      );
      return { skipped: true, reason: 'another run of this channel flow is in progress' };
    }
    const onLost = () =>
      this.#logger.error(
        { channelId, flow, jobId: job.id, error: this.#redactor.redactText(String(lock.signal.reason)) },
        'run lock lost: aborting the flow',
      );
    lock.signal.addEventListener('abort', onLost, { once: true });
    try {
      const service = await this.#service(channel);
      this.#logger.info(
        { channelId, flow, jobId: job.id, attempt: job.attemptsMade + 1 },
        'flow run started',
      );
      const result = summarize(await service[flow]({ ...options, signal: lock.signal }), this.#redactor);
      this.#logger.info({ channelId, flow, jobId: job.id, counts: result.counts }, 'flow run finished');
      return result;
    } catch (thrown) {
      // A lost lock is why the flow stopped: say so, rather than a bare "aborted".
      throw this.#clean(lock.signal.aborted ? lock.signal.reason : thrown);
    } finally {
      lock.signal.removeEventListener('abort', onLost);
      await lock
        .release()
        .catch((error: unknown) =>
          this.#logger.warn(
            { channelId, flow, jobId: job.id, error: this.#redactor.redactText(String(error)) },
            'could not release the run lock; it expires by itself',
          ),
        );
    }
  }

  /**
   * What BullMQ may keep of a failure: its message becomes the job's `failedReason` and its stack the
   * job's stack trace, both stored in Redis, and the same object goes to the logs and `onFailed`. The
   * flows' errors are redacted where they are made; anything else (or anything still holding a secret
   * this scheduler knows) is replaced by a redacted snapshot.
   */
  #clean(thrown: unknown): Error {
    if (thrown instanceof Error && isClean(thrown, this.#redactor)) return thrown;
    return snapshotError(thrown, this.#redactor);
  }

  /** Flow options are stored in Redis as job data: refuse any that hold a secret. */
  #refuseSecrets(where: string, path: string, options: Record<string, unknown> | undefined): void {
    if (options === undefined) return;
    if (JSON.stringify(this.#redactor.redactValue(options)) === JSON.stringify(options)) return;
    throw new InvalidOptionsError(where, [
      `${path}: holds a secret; flow options are stored in Redis as job data, so keep secrets out of them`,
    ]);
  }

  #service(channel: ChannelRegistration): Promise<FlowRunner> {
    let service = this.#services.get(channel.id);
    if (!service) {
      service = Promise.resolve().then(() => channel.service());
      this.#services.set(channel.id, service);
      service.catch(() => this.#services.delete(channel.id));
    }
    return service;
  }

  #failed(job: Job<JobData> | undefined, error: Error): void {
    if (!job) return;
    const { channelId, flow } = job.data;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.#logger[final ? 'error' : 'warn'](
      {
        channelId,
        flow,
        jobId: job.id,
        attemptsMade: job.attemptsMade,
        error: this.#redactor.redactText(error.message),
      },
      final
        ? 'flow failed on its last attempt; the job is kept as failed'
        : 'flow failed; BullMQ will retry it',
    );
    if (final)
      this.#options.onFailed?.({ channelId, flow, jobId: job.id, attemptsMade: job.attemptsMade, error });
  }
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

/** The password of a `redis://` URL, so it never shows in a log line; `undefined` otherwise. */
function redisPassword(connection: RedisUrl | ConnectionOptions): string | undefined {
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
function connectionOptions(connection: RedisUrl | ConnectionOptions): ConnectionOptions {
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
