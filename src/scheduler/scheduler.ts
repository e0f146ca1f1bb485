import { type Job, type JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { LockRedis } from '../locks/lock-redis.js';
import { observeQueue } from '../telemetry/queue-telemetry.js';
import { type FlowStatus, readFleetStatus } from './fleet-status.js';
import {
  type JobData,
  reportFailedJob,
  runFlowJob,
  type SchedulerCounts,
  type SkippedRun,
  zeroCounts,
} from './flow-job.js';
import type { FlowSummary } from './flow-summary.js';
import { type SchedulerSpec, schedulerSpecs, writeSchedulers } from './job-schedulers.js';
import { LastRunRecords, type LastRunRedis } from './last-run.js';
import { RunLock } from './run-lock.js';
import type { FlowRunner, ScheduledFlow } from './scheduled-flow.js';
import {
  type ChannelRegistration,
  checkRegistration,
  checkRunOptions,
  type FlowSchedulerOptions,
  refuseSecrets,
  resolveSchedulerOptions,
  type SchedulerSettings,
} from './scheduler-options.js';
import { ThrottledErrorLog } from './throttled-error-log.js';

/**
 * BullMQ's job lock and stalled-job check for a run lock TTL. A dead worker's job lock is gone at most
 * `lockDuration` after the kill, and the next check (every `stalledInterval`, fleet-wide) hands its job to
 * another worker; at four fifths and one fifth of `lockTtl`, that is within `lockTtl` of the kill, when the
 * dead run's own lock has expired too, so the interrupted run starts again about `lockTtl` after the kill
 * (BullMQ's default, half a TTL between checks, made it up to one and a half TTLs). BullMQ renews the job
 * lock every half of `lockDuration`; the run lock, renewed every third of `lockTtl`, aborts a stalled run
 * before then.
 */
export function takeoverTimes(lockTtl: number): { lockDuration: number; stalledInterval: number } {
  return {
    lockDuration: Math.floor((lockTtl * 4) / 5),
    stalledInterval: Math.max(200, Math.floor(lockTtl / 5)),
  };
}

/**
 * Runs channel flows on a schedule with BullMQ, across any number of worker processes: one run at a time
 * per channel and flow, failures retried with backoff and then kept as failed jobs, and a graceful stop
 * that lets running flows finish.
 *
 * Built for a fleet of channels on one Redis: `every` schedules are spread over their interval; a trigger
 * that finds its channel flow running waits for the lock's TTL (a dead holder's lock expires by then) and
 * is skipped, logged at `warn` and counted, only if the run is still alive; a worker killed mid-run has its
 * interrupted run started again by another worker within `lockTtl`, and the slots that came due meanwhile
 * run after it; the job schedulers are checked every `reconcileInterval` and made again, by one worker,
 * if Redis lost them; `fleetStatus()` reads every channel flow's last run, next run and lock holder from
 * Redis; every BullMQ object's errors are logged.
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
  readonly #channels = new Map<string, ChannelRegistration>();
  readonly #services = new Map<string, Promise<FlowRunner>>();
  readonly #counts = zeroCounts();
  readonly #errors: ThrottledErrorLog;
  #queue: Queue<JobData, FlowSummary | SkippedRun> | undefined;
  #worker: Worker<JobData, FlowSummary | SkippedRun> | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  /** Stops reporting the queue's depth (see `observeQueue`). */
  #unobserve: (() => void) | undefined;
  #reconciling = false;
  #reconcileFailed = false;
  #stopping = false;
  /** Aborted by `stop()`: a `start()` still waiting for Redis gives up rather than hang forever. */
  #stopped = new AbortController();
  /** Each channel flow's last run and skips, in Redis. */
  #records: LastRunRecords | undefined;
  /** The run locks, to tell who runs what. */
  #runLock: RunLock | undefined;
  /** Held by the one worker that makes lost job schedulers again, so the others do not too. */
  #repairLease: RunLock | undefined;

  constructor(options: FlowSchedulerOptions) {
    this.#options = resolveSchedulerOptions(options);
    this.#errors = new ThrottledErrorLog(this.#options.logger, this.#options.redactor);
  }

  /** Adds a channel and its flow schedules; call before {@link FlowScheduler.start}. */
  register(channel: ChannelRegistration): this {
    checkRegistration(channel, this.#options.redactor);
    this.#channels.set(channel.id, channel);
    return this;
  }

  /** The BullMQ queue, once started: for inspection (failed jobs, counts). */
  get queue(): Queue<JobData, FlowSummary | SkippedRun> | undefined {
    return this.#queue;
  }

  /**
   * What this scheduler (this process) has counted since it was made: runs started, finished and failed,
   * triggers skipped, slots dropped, waits for a lock, re-runs after a worker died, and job schedulers made
   * again. A copy: it does not change afterwards.
   */
  counts(): SchedulerCounts {
    return { ...this.#counts };
  }

  /**
   * Creates (or updates) the job schedulers of every registered flow, starts a worker (unless `worker` is
   * `false`) and the reconcile loop. Several processes may start schedulers for the same channels:
   * schedules are shared, runs never overlap.
   */
  async start(options: { worker?: boolean } = {}): Promise<void> {
    const { queueName, lockTtl, concurrency, reconcileInterval, connection, owner, logger } = this.#options;
    this.#stopping = false;
    this.#stopped = new AbortController();
    const { telemetry } = this.#options;
    const queue: Queue<JobData, FlowSummary | SkippedRun> = new Queue(queueName, {
      connection,
      ...(telemetry ? { telemetry } : {}),
    });
    // Before anything waits on Redis: an unreachable Redis must be logged, never an unhandled 'error'.
    queue.on('error', (error) => this.#logError('scheduler queue error', error));
    this.#queue = queue;
    this.#unobserve = observeQueue(queue);
    const client = (await this.#unlessStopped(queue.client)) as unknown as LockRedis;
    const lock = new RunLock(client, { ttl: lockTtl, prefix: `${queueName}:run-lock`, owner });
    this.#records = new LastRunRecords(client as unknown as LastRunRedis, queueName);
    this.#runLock = lock;
    this.#repairLease = new RunLock(client, {
      ttl: lockTtl,
      prefix: `${queueName}:reconcile-lease`,
      owner,
    });
    await this.#unlessStopped(writeSchedulers(queue, this.#specs()));
    if (options.worker !== false) {
      const { limiter, metrics, name } = this.#options;
      this.#worker = new Worker(queueName, (job, token) => this.#run(job, token, lock), {
        connection,
        concurrency,
        ...takeoverTimes(lockTtl),
        ...(limiter ? { limiter } : {}),
        ...(metrics ? { metrics } : {}),
        ...(name ? { name } : {}),
        ...(telemetry ? { telemetry } : {}),
      });
      this.#worker.on('failed', (job, error) =>
        reportFailedJob(job, error, {
          logger,
          redactor: this.#options.redactor,
          onFailed: this.#options.onFailed,
        }),
      );
      this.#worker.on('error', (error) => this.#logError('scheduler worker error', error));
    }
    this.#reconcileTimer = setInterval(() => void this.#reconcile(), reconcileInterval);
    this.#reconcileTimer.unref();
    logger.info(
      { queue: queueName, channels: [...this.#channels.keys()], concurrency, lockTtl },
      'scheduler started',
    );
  }

  /**
   * Every channel flow of the queue, read from Redis, so it shows the whole fleet from any process (one
   * started with `{ worker: false }` serves) and survives a killed worker: its schedule, when it runs next,
   * how its last run ended (time, outcome, item counts, error code, which worker), how many triggers were
   * skipped, and which worker holds its run lock now. Lists the job schedulers in Redis and this process's
   * registered channel flows (one without a job scheduler, lost by Redis, has no `nextRunAt`). Unlike
   * {@link FlowScheduler.counts}, nothing here is per process.
   */
  async fleetStatus(): Promise<FlowStatus[]> {
    if (!this.#queue || !this.#records || !this.#runLock)
      throw new Error('FlowScheduler: call start() first');
    return readFleetStatus(this.#queue, this.#records, this.#runLock, this.#specs());
  }

  /** Runs a channel flow now, once (besides its schedule); the same one-at-a-time rule applies. */
  async runNow(
    channelId: string,
    flow: ScheduledFlow,
    options?: Record<string, unknown>,
  ): Promise<Job<JobData, FlowSummary | SkippedRun>> {
    refuseSecrets(this.#options.redactor, 'FlowScheduler.runNow', 'options', options);
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
    this.#stopping = true;
    this.#stopped.abort();
    clearInterval(this.#reconcileTimer);
    this.#reconcileTimer = undefined;
    this.#unobserve?.();
    await this.#worker?.close();
    await this.#queue?.close();
    this.#worker = undefined;
    this.#queue = undefined;
    this.#options.logger.info({}, 'scheduler stopped');
  }

  /** Stops gracefully on SIGTERM or SIGINT, then exits; returns a function that removes the handlers. */
  stopOnSignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
    const handler = (signal: NodeJS.Signals) => {
      this.#options.logger.info({ signal }, 'stopping: waiting for running flows');
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

  /**
   * The promise, or a rejection as soon as `stop()` is called: ioredis waits for a Redis that is down
   * without end, and a `start()` stopped meanwhile should end too.
   */
  #unlessStopped<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#stopped.signal;
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(new Error('FlowScheduler: stopped before start() finished'));
      if (signal.aborted) return onStop();
      signal.addEventListener('abort', onStop, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onStop));
    });
  }

  /** Scheduled and one-off runs alike: retried with backoff, then kept as failed for inspection. */
  #jobOptions(): JobsOptions {
    const { attempts, backoffDelay, removeOnComplete, removeOnFail } = this.#options;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffDelay },
      removeOnComplete,
      removeOnFail,
    };
  }

  /** The job schedulers the registered channels need. */
  #specs(): SchedulerSpec[] {
    return schedulerSpecs(this.#channels.values(), this.#jobOptions());
  }

  /**
   * Makes again the job schedulers Redis lost (restarted without persistence, flushed, keys evicted):
   * they are written only at start, so without this no flow would ever run again. Of the workers that find
   * them missing, the one that takes a lease in Redis (`<queue>:reconcile-lease:repair`, renewed as a run lock) makes
   * them and logs at `warn`; the others log at `info` that it is being done. Logs at `error` (throttled)
   * when Redis cannot be read, and at `info` once it can again.
   */
  async #reconcile(): Promise<void> {
    const queue = this.#queue;
    if (!queue || this.#reconciling || this.#stopping) return;
    this.#reconciling = true;
    try {
      let missing = await this.#missingSchedulers(queue);
      if (missing.length > 0) {
        // One worker repairs, under a lease renewed while it works (a run lock of its own); the others,
        // finding it taken, leave the repair to it and look again at their next interval.
        const lease = await this.#repairLease?.acquire('repair');
        if (!lease) {
          const repairer = await this.#repairLease?.holder('repair');
          this.#options.logger.info(
            { queue: queue.name, missing: missing.length, repairer: repairer?.owner },
            'job schedulers missing; another worker is making them again',
          );
          missing = [];
        } else {
          try {
            // Read again under the lease: another worker may have repaired them since the first look.
            missing = await this.#missingSchedulers(queue);
            for (const spec of missing) await queue.upsertJobScheduler(spec.id, spec.repeat, spec.template);
          } finally {
            await lease.release();
          }
        }
      }
      if (this.#reconcileFailed) {
        this.#reconcileFailed = false;
        this.#options.logger.info({ queue: queue.name }, 'Redis answers again: job schedulers checked');
      }
      if (missing.length > 0) {
        this.#counts.recreated += missing.length;
        this.#options.logger.warn(
          { queue: queue.name, recreated: missing.length, schedulers: missing.slice(0, 20).map((s) => s.id) },
          `job schedulers missing (Redis restarted empty?); re-created ${missing.length}`,
        );
      }
    } catch (error) {
      if (this.#stopping) return;
      this.#reconcileFailed = true;
      this.#logError('could not check the job schedulers; trying again at the next interval', error);
    } finally {
      this.#reconciling = false;
    }
  }

  /** The registered channel flows whose job scheduler is not in Redis. */
  async #missingSchedulers(queue: Queue<JobData, FlowSummary | SkippedRun>): Promise<SchedulerSpec[]> {
    const present = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
    return this.#specs().filter((spec) => !present.has(spec.id));
  }

  /** Logs a Redis or BullMQ error at `error`, redacted and throttled (see {@link ThrottledErrorLog}). */
  #logError(message: string, error: unknown): void {
    this.#errors.log(message, error);
  }

  async #run(job: Job<JobData>, token: string | undefined, lock: RunLock): Promise<FlowSummary | SkippedRun> {
    const { channelId, flow } = job.data;
    const channel = this.#channels.get(channelId);
    // Another process scheduled a channel this one does not know: retrying here would never help.
    if (!channel) throw new UnrecoverableError(`No channel "${channelId}" is registered with this scheduler`);
    const schedule = channel.flows[flow];
    return runFlowJob(job, token, {
      lock,
      service: () => this.#service(channel),
      logger: this.#options.logger,
      redactor: this.#options.redactor,
      counts: this.#counts,
      every: schedule && 'every' in schedule ? schedule.every : undefined,
      records: this.#records as LastRunRecords,
      worker: this.#options.owner,
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
