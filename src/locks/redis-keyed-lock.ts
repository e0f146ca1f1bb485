import { createHash, randomUUID } from 'node:crypto';
import { LockTimeoutError } from '../errors/run-errors.js';
import { type KeyedLock, type LockLease, TRACKED_KEY_MEMORY, type WithLockOptions } from './keyed-lock.js';
import type { LockRedis } from './lock-redis.js';

/** Deletes the key only if it still holds our token: never release someone else's lock. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/**
 * Takes a tracked key: `SET NX` the lock, and only if that succeeded, read and renew the key's "held" mark.
 * Answers 0 when the lock is held by another, 1 for a first holder, 2 for a later one.
 */
const TAKE_TRACKED = `if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
local seen = redis.call('exists', KEYS[2])
redis.call('set', KEYS[2], '1', 'PX', ARGV[3])
return seen + 1`;
/** Extends the key only if it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Options of {@link RedisKeyedLock}. */
export interface RedisKeyedLockOptions {
  /** Prefix of the Redis keys (default `channel-app-sdk:lock`). */
  prefix?: string;
  /**
   * How long a key lives unless renewed, in ms (default 30 000). It is renewed every third of that while
   * held, so it only expires when its holder died: then others wait at most this long.
   */
  ttl?: number;
  /** How long to wait for a held key before giving up with `LockTimeoutError`, in ms (default 120 000). */
  waitTimeout?: number;
  /** The pause between two tries to take a held key, in ms, with jitter (default 50). */
  retryDelay?: number;
}

/**
 * A {@link KeyedLock} shared by every process using one Redis: `SET key token NX PX ttl` to take a key,
 * renewal while held, and compare-and-delete to release it (only by its holder). Pass it as the
 * `OrderService` option `lock` in every process that imports orders of the same channel.
 *
 * Keys are hashed, so customer emails never appear in Redis.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisKeyedLock } from 'channel-app-sdk/scheduler';
 * const service = new OrderService({ omnitron, channel, lock: new RedisKeyedLock(new Redis(url)) });
 * ```
 */
export class RedisKeyedLock implements KeyedLock {
  readonly #redis: LockRedis;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #waitTimeout: number;
  readonly #retryDelay: number;

  constructor(redis: LockRedis, options: RedisKeyedLockOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'channel-app-sdk:lock';
    this.#ttl = options.ttl ?? 30_000;
    this.#waitTimeout = options.waitTimeout ?? 120_000;
    this.#retryDelay = options.retryDelay ?? 50;
  }

  /** Runs `fn` while holding the lock of `key`; waits while another caller holds it. */
  async withLock<T>(
    key: string,
    fn: (lease?: LockLease) => Promise<T>,
    options: WithLockOptions = {},
  ): Promise<T> {
    const redisKey = `${this.#prefix}:${createHash('sha256').update(key).digest('hex')}`;
    const token = randomUUID();
    const started = Date.now();
    let hold = 0;
    const lease: LockLease = {
      heldBefore: true,
      holdAfter: (ms) => {
        hold = Math.max(hold, ms);
      },
    };
    const take = async (): Promise<boolean> => {
      if (!options.track) return (await this.#redis.set(redisKey, token, 'PX', this.#ttl, 'NX')) === 'OK';
      const taken = Number(
        await this.#redis.eval(
          TAKE_TRACKED,
          2,
          redisKey,
          `${redisKey}:held`,
          token,
          this.#ttl,
          TRACKED_KEY_MEMORY,
        ),
      );
      if (taken > 0) lease.heldBefore = taken === 2;
      return taken > 0;
    };
    while (!(await take())) {
      const waited = Date.now() - started;
      if (waited >= this.#waitTimeout) throw new LockTimeoutError(`"${key}"`, waited);
      const pause = this.#retryDelay * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const renew = setInterval(
      () => {
        void this.#redis.eval(RENEW, 1, redisKey, token, this.#ttl).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#ttl / 3)),
    );
    renew.unref();
    try {
      return await fn(lease);
    } finally {
      clearInterval(renew);
      // A failed release costs others at most `ttl` of waiting; it must not fail work already done. A held
      // key is left to expire after `hold` ms, still under our token.
      const end =
        hold > 0
          ? this.#redis.eval(RENEW, 1, redisKey, token, Math.ceil(hold))
          : this.#redis.eval(RELEASE, 1, redisKey, token);
      await end.catch(() => undefined);
    }
  }
}
