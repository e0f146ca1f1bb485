/**
 * Mutual exclusion by key: while one caller runs `fn` under a key, other callers of the same key wait.
 * The order flows take it around find-or-create of customers (by identifier) and addresses (by content),
 * the only creates that Omnitron does not refuse twice, so two overlapping runs cannot both create one.
 *
 * Implementations: {@link InProcessKeyedLock} (one process, the default) and `RedisKeyedLock` from
 * `channel-app-sdk/scheduler` (every process sharing a Redis).
 *
 * @group Adapters
 */
export interface KeyedLock {
  /** Runs `fn` while holding the lock of `key`, and releases it however `fn` ends. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * A {@link KeyedLock} within one process: callers of a key take turns in arrival order. Keys no one holds
 * or waits for take no memory.
 *
 * @group Adapters
 */
export class InProcessKeyedLock implements KeyedLock {
  /** The tail of each key's queue: the promise the next caller waits for. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` while holding the lock of `key`; waits while another caller holds it. */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // The last in the queue cleans up; a later caller has replaced the tail otherwise.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** How many keys are held or waited for (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}

/**
 * The process-wide default: every `OrderService` built without a `lock` shares it, so two services of one
 * process never create the same customer or address at once. Keys carry the Omnitron and channel
 * (`OmnitronIntegration.lockNamespace`), so unrelated channels do not wait for each other.
 *
 * @group Adapters
 */
export const processKeyedLock: KeyedLock = new InProcessKeyedLock();
