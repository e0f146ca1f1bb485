import { createHash, randomUUID } from 'node:crypto';
import { LockTimeoutError } from '../errors/lock-timeout-error.js';
import type { LockRedis } from '../scheduler/run-lock.js';
import type { KeyedLock } from './keyed-lock.js';

/** Deletes the key only if it still holds our token: never release someone else's lock. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
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
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const redisKey = `${this.#prefix}:${createHash('sha256').update(key).digest('hex')}`;
    const token = randomUUID();
    const started = Date.now();
    while ((await this.#redis.set(redisKey, token, 'PX', this.#ttl, 'NX')) !== 'OK') {
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
      return await fn();
    } finally {
      clearInterval(renew);
      // A failed release costs others at most `ttl` of waiting; it must not fail work already done.
      await this.#redis.eval(RELEASE, 1, redisKey, token).catch(() => undefined);
    }
  }
}
