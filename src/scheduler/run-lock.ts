import { randomUUID } from 'node:crypto';
import type { LockRedis } from '../locks/lock-redis.js';
import { RunLockLostError } from './run-lock-lost-error.js';

/** Deletes the key only if it still holds our token: never release someone else's lock. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key only if it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** The key's remaining time to live in ms (`-2` when it is gone), through `eval` so `LockRedis` stays two commands. */
const REMAINING = `return redis.call('pttl', KEYS[1])`;

/** A held lock: release it when the run ends. */
export interface HeldLock {
  /**
   * Aborted, with a {@link RunLockLostError} as its reason, as soon as a renewal fails: pass it to the run
   * so it stops before another holder's run overlaps it.
   */
  readonly signal: AbortSignal;
  /** Stops renewing and frees the key (only if this holder still has it). */
  release(): Promise<void>;
}

/**
 * One run at a time per key, across every worker sharing the Redis: `SET key token NX PX ttl`, renewed
 * every third of `ttl` while held so a long run keeps it, and released only by its holder. A worker that
 * dies stops renewing, so its lock expires after `ttl` and the next run can go: the scheduler keeps `ttl`
 * short (10 s by default) so that a killed worker's channel flows run again within seconds.
 *
 * A renewal that finds the key gone or holding another token, that fails, or that gets no answer before
 * the next one is due, aborts the holder's {@link HeldLock.signal}: from then on the lock cannot be known
 * to be held, and a run that went on could overlap another. Renewal stops after the first failure.
 */
export class RunLock {
  readonly #redis: LockRedis;
  readonly #ttl: number;
  readonly #prefix: string;

  constructor(redis: LockRedis, options: { ttl: number; prefix: string }) {
    this.#redis = redis;
    this.#ttl = options.ttl;
    this.#prefix = options.prefix;
  }

  /**
   * How long the lock may still be held without a renewal, in ms; `0` when it is free. A live holder
   * renews it before then; a dead one's lock is gone after it, which is how a waiting run tells them apart.
   */
  async remaining(name: string): Promise<number> {
    const ms = Number(await this.#redis.eval(REMAINING, 1, `${this.#prefix}:${name}`));
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  }

  /** Takes the lock, or returns `null` when another run holds it. */
  async acquire(name: string): Promise<HeldLock | null> {
    const key = `${this.#prefix}:${name}`;
    const token = randomUUID();
    if ((await this.#redis.set(key, token, 'PX', this.#ttl, 'NX')) !== 'OK') return null;
    const every = Math.max(100, Math.floor(this.#ttl / 3));
    const controller = new AbortController();
    let released = false;
    let renewing = false;
    const lose = (why: string) => {
      clearInterval(renew);
      if (!released && !controller.signal.aborted) controller.abort(new RunLockLostError(name, why));
    };
    const renew = setInterval(() => {
      // A renewal still waiting when the next is due has taken a third of the ttl: the key may expire first.
      if (renewing) return lose(`Redis did not answer a renewal within ${every} ms`);
      renewing = true;
      this.#redis.eval(RENEW, 1, key, token, this.#ttl).then(
        (renewed) => {
          renewing = false;
          if (Number(renewed) !== 1) lose('the key is gone or held by another run');
        },
        (error: unknown) => {
          renewing = false;
          lose(`renewal failed: ${error instanceof Error ? error.name : 'error'}`);
        },
      );
    }, every);
    renew.unref();
    return {
      signal: controller.signal,
      release: async () => {
        released = true;
        clearInterval(renew);
        await withTimeout(this.#redis.eval(RELEASE, 1, key, token), this.#ttl);
      },
    };
  }
}

/** Rejects when the promise has not settled after `ms`: a Redis that never answers must not hang a run's end. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
