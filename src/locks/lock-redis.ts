/** The part of a Redis client the lock needs (ioredis fits). */
export interface LockRedis {
  /** `SET key value PX ttl NX`. */
  set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<string | null>;
  /** `EVAL script numkeys …`. */
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}
