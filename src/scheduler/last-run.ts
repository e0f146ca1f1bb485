import type { FlowCounts } from '../orders/flow-result.js';

/**
 * How a channel flow's last run ended, as the scheduler keeps it in Redis (one small hash per channel flow,
 * `<queue>:last-run:<channel>:<flow>`): written by whichever worker ran it, so any process can read it and
 * it outlives the worker. Only times, counts and an error code: never a message, an order or a secret.
 */
export interface LastRun {
  /** When the run ended. */
  endedAt: Date;
  /** `finished` (the flow returned; its items may still have failed, see `counts`) or `failed` (it threw). */
  outcome: 'finished' | 'failed';
  /** The BullMQ job id. */
  jobId: string;
  /** Which attempt it was, from 1. */
  attempt: number;
  /** How long the flow ran, in ms. */
  durationMs: number;
  /** The worker that ran it (its `name`, or host and process id). */
  worker: string;
  /** How its items ended; all zero for a run that threw. */
  counts: FlowCounts;
  /** For a failed run, its error's code (such as `FLOW_ABORTED`). */
  errorCode?: string;
}

/** A channel flow's record: its last run, and the triggers skipped because a live run held its lock. */
export interface LastRunRecord {
  /** The last run that ended, if one did while the record was kept. */
  lastRun: LastRun | undefined;
  /** Triggers skipped because a live run held the lock, since the record was made. */
  skips: number;
  /** When the last of them was skipped. */
  lastSkippedAt: Date | undefined;
}

/** The commands the last-run record needs (ioredis fits). */
export interface LastRunRedis {
  hset(key: string, fields: Record<string, string>): Promise<unknown>;
  hincrby(key: string, field: string, by: number): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  pexpire(key: string, ms: number): Promise<unknown>;
  sadd(key: string, member: string): Promise<unknown>;
  smembers(key: string): Promise<string[]>;
}

/** A record nobody updates for this long is dropped: a channel flow removed from the fleet leaves no trace. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

const ZERO: FlowCounts = { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 };

/** The error code kept for a failed run: an error's own `code` when it looks like one, else `ERROR`. */
export function errorCode(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'ERROR';
}

/** Reads and writes the per-channel-flow last-run records of one queue. */
export class LastRunRecords {
  readonly #redis: LastRunRedis;
  readonly #prefix: string;
  readonly #index: string;

  constructor(redis: LastRunRedis, queueName: string) {
    this.#redis = redis;
    this.#prefix = `${queueName}:last-run`;
    this.#index = `${queueName}:last-run-index`;
  }

  /**
   * Notes that a run of the channel flow started, in the queue's index of channel flows, so it is listed
   * even without a job scheduler (`runNow` only) and before any run of it ended.
   */
  async started(name: string): Promise<void> {
    await this.#redis.sadd(this.#index, name);
    await this.#redis.pexpire(this.#index, KEEP_MS);
  }

  /** Every channel flow a run was started for (while the index was kept). */
  async names(): Promise<string[]> {
    return this.#redis.smembers(this.#index);
  }

  /** Records how a run ended, over the previous run's record (the skip count stays). */
  async ended(name: string, run: LastRun): Promise<void> {
    const key = `${this.#prefix}:${name}`;
    await this.#redis.hset(key, {
      endedAt: String(run.endedAt.getTime()),
      outcome: run.outcome,
      jobId: run.jobId,
      attempt: String(run.attempt),
      durationMs: String(run.durationMs),
      worker: run.worker,
      counts: JSON.stringify(run.counts),
      errorCode: run.errorCode ?? '',
    });
    await this.#redis.pexpire(key, KEEP_MS);
  }

  /** Counts a skipped trigger. */
  async skipped(name: string, at: Date): Promise<void> {
    const key = `${this.#prefix}:${name}`;
    await this.#redis.hincrby(key, 'skips', 1);
    await this.#redis.hset(key, { lastSkippedAt: String(at.getTime()) });
    await this.#redis.pexpire(key, KEEP_MS);
  }

  /** The channel flow's record (empty when nothing was recorded in the last week). */
  async read(name: string): Promise<LastRunRecord> {
    const hash = await this.#redis.hgetall(`${this.#prefix}:${name}`);
    return {
      lastRun: hash.endedAt
        ? {
            endedAt: new Date(Number(hash.endedAt)),
            outcome: hash.outcome === 'failed' ? 'failed' : 'finished',
            jobId: hash.jobId ?? '',
            attempt: Number(hash.attempt ?? 0),
            durationMs: Number(hash.durationMs ?? 0),
            worker: hash.worker ?? '',
            counts: parseCounts(hash.counts),
            ...(hash.errorCode ? { errorCode: hash.errorCode } : {}),
          }
        : undefined,
      skips: Number(hash.skips ?? 0),
      lastSkippedAt: hash.lastSkippedAt ? new Date(Number(hash.lastSkippedAt)) : undefined,
    };
  }
}

/** The counts as stored, or zeros for a record without a finished run (or an unreadable one). */
function parseCounts(json: string | undefined): FlowCounts {
  try {
    return { ...ZERO, ...(json ? (JSON.parse(json) as FlowCounts) : {}) };
  } catch {
    return { ...ZERO };
  }
}
