import {
  type ConnectionOptions,
  type Job,
  type JobsOptions,
  Queue,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import { type Logger, silentLogger } from '../reporting/logger.js';
import { SecretRedactor } from '../reporting/redact.js';
import { type JobData, reportFailedJob, runFlowJob, type SkippedRun } from './flow-job.js';
import type { FlowSummary } from './flow-summary.js';
import { type LockRedis, RunLock } from './run-lock.js';
import type { FlowRunner, ScheduledFlow } from './scheduled-flow.js';
import {
  type ChannelRegistration,
  checkRegistration,
  checkRunOptions,
  connectionOptions,
  type FlowSchedule,
  type FlowSchedulerOptions,
  parseSchedulerOptions,
  redisPassword,
  refuseSecrets,
  type SchedulerSettings,
} from './scheduler-options.js';

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
  readonly #options: SchedulerSettings;
  readonly #connection: ConnectionOptions;
  readonly #logger: Logger;
  readonly #redactor: SecretRedactor;
  readonly #channels = new Map<string, ChannelRegistration>();
  readonly #services = new Map<string, Promise<FlowRunner>>();
  #queue: Queue<JobData, FlowSummary | SkippedRun> | undefined;
  #worker: Worker<JobData, FlowSummary | SkippedRun> | undefined;

  constructor(options: FlowSchedulerOptions) {
    this.#options = parseSchedulerOptions(options);
    this.#connection = connectionOptions(options.connection);
    this.#logger = this.#options.logger ?? silentLogger;
    this.#redactor = new SecretRedactor([
      ...(this.#options.secrets ?? []),
      redisPassword(options.connection),
    ]);
  }

  /** Adds a channel and its flow schedules; call before {@link FlowScheduler.start}. */
  register(channel: ChannelRegistration): this {
    checkRegistration(channel, this.#redactor);
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
    const { queueName, lockTtl, concurrency } = this.#options;
    this.#queue = new Queue(queueName, { connection: this.#connection });
    const lock = new RunLock((await this.#queue.client) as unknown as LockRedis, {
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
          opts: this.#jobOptions(),
        });
      }
    }
    if (options.worker === false) return;
    this.#worker = new Worker(queueName, (job) => this.#run(job, lock), {
      connection: this.#connection,
      concurrency,
    });
    this.#worker.on('failed', (job, error) =>
      reportFailedJob(job, error, {
        logger: this.#logger,
        redactor: this.#redactor,
        onFailed: this.#options.onFailed,
      }),
    );
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
    refuseSecrets(this.#redactor, 'FlowScheduler.runNow', 'options', options);
    checkRunOptions('FlowScheduler.runNow', flow, options);
    if (!this.#queue) throw new Error('FlowScheduler: call start() first');
    return this.#queue.add(
      `${channelId}:${flow}`,
      { channelId, flow, ...(options ? { options } : {}) },
      this.#jobOptions(),
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

  /** Scheduled and one-off runs alike: retried with backoff, then kept as failed for inspection. */
  #jobOptions(): JobsOptions {
    const { attempts, backoffDelay, keepFailed } = this.#options;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffDelay },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: keepFailed },
    };
  }

  async #run(job: Job<JobData>, lock: RunLock): Promise<FlowSummary | SkippedRun> {
    const { channelId } = job.data;
    const channel = this.#channels.get(channelId);
    // Another process scheduled a channel this one does not know: retrying here would never help.
    if (!channel) throw new UnrecoverableError(`No channel "${channelId}" is registered with this scheduler`);
    return runFlowJob(job, {
      lock,
      service: () => this.#service(channel),
      logger: this.#logger,
      redactor: this.#redactor,
    });
  }

  /** The channel's service, built once per worker; a failed build is forgotten so the next job tries again. */
  #service(channel: ChannelRegistration): Promise<FlowRunner> {
    let service = this.#services.get(channel.id);
    if (!service) {
      service = Promise.resolve().then(() => channel.service());
      this.#services.set(channel.id, service);
      service.catch(() => this.#services.delete(channel.id));
    }
    return service;
  }
}
