/**
 * Where Omnitron auth tokens are kept between runs and processes. The default keeps them in memory; back
 * it with Redis (or anything shared) so several workers log in once between them.
 *
 * @example
 * ```ts
 * const tokenStore: TokenStore = {
 *   get: (key) => redis.get(key).then((v) => v ?? undefined),
 *   set: (key, token) => redis.set(key, token, 'EX', 12 * 3600).then(() => undefined),
 *   delete: (key) => redis.del(key).then(() => undefined),
 * };
 * ```
 *
 * @group Adapters
 */
export interface TokenStore {
  /** The token saved under `key`, if any. */
  get(key: string): Promise<string | undefined>;
  /** Saves a token under `key`. */
  set(key: string, token: string): Promise<void>;
  /** Forgets the token under `key` (Omnitron refused it). */
  delete(key: string): Promise<void>;
}

/**
 * A token store in this process's memory: the default.
 *
 * @group Adapters
 */
export class InMemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.#tokens.get(key);
  }

  async set(key: string, token: string): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
