import { randomUUID } from 'node:crypto';

/** The part of a Redis client the lock needs (ioredis fits). */
export interface LockRedis {
  /** `SET key value PX ttl NX`. */
  set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<string | null>;
  /** `EVAL script numkeys …`. */
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Deletes the key only if it still holds our token: never release someone else's lock. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key only if it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** A held lock: release it when the run ends. */
export interface HeldLock {
  /** Stops renewing and frees the key (only if this holder still has it). */
  release(): Promise<void>;
}

/**
 * One run at a time per key, across every worker sharing the Redis: `SET key token NX PX ttl`, renewed
 * while held so a long run keeps it, and released only by its holder. A worker that dies stops renewing,
 * so its lock expires after `ttl` and the next run can go.
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

  /** Takes the lock, or returns `null` when another run holds it. */
  async acquire(name: string): Promise<HeldLock | null> {
    const key = `${this.#prefix}:${name}`;
    const token = randomUUID();
    if ((await this.#redis.set(key, token, 'PX', this.#ttl, 'NX')) !== 'OK') return null;
    const renew = setInterval(
      () => {
        void this.#redis.eval(RENEW, 1, key, token, this.#ttl).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#ttl / 3)),
    );
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.#redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
