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
  /**
   * Runs `fn` while holding the lock of `key`, and releases it however `fn` ends (or later, if `fn` asked
   * with {@link LockLease.holdAfter}). With `track`, the lock also remembers that the key was held, and
   * tells the next holder so in `fn`'s {@link LockLease}.
   */
  withLock<T>(key: string, fn: (lease?: LockLease) => Promise<T>, options?: WithLockOptions): Promise<T>;
}

/**
 * Options of one {@link KeyedLock.withLock} call.
 *
 * @group Adapters
 */
export interface WithLockOptions {
  /**
   * Remember that this key was held (for {@link TRACKED_KEY_MEMORY} ms), so a later holder learns that
   * someone held it before (`LockLease.heldBefore`).
   */
  track?: boolean;
}

/**
 * What a holder learns when it takes a key, and how it may keep it. The order import takes the lock of an
 * order's number (tracked) before creating it: a first holder may trust the chunk's look-up that said the
 * number was absent, a later one looks again, because another run may have created it meanwhile. A lock
 * that passes no lease (a custom implementation) is taken as `heldBefore: true`, which is always safe.
 *
 * @group Adapters
 */
export interface LockLease {
  /**
   * Whether someone took this key with `track` within the last {@link TRACKED_KEY_MEMORY} ms. Always
   * `true` for a key taken without `track` (nothing was remembered, so assume someone did).
   */
  heldBefore: boolean;
  /**
   * Keeps the key held for `ms` after `fn` ends, instead of releasing it then. A holder whose create had
   * an unknown fate calls it, so that no one creates the same object while Omnitron may still be working
   * on the first. Optional: a custom lock without it releases at once.
   */
  holdAfter?(ms: number): void;
}

/**
 * How long a tracked key is remembered, in ms (one hour): far longer than an import holds a chunk's
 * look-up before creating its orders.
 *
 * @group Adapters
 */
export const TRACKED_KEY_MEMORY = 3_600_000;

/** The most tracked keys one process remembers; the oldest go first. */
const TRACKED_KEY_LIMIT = 100_000;

/**
 * A {@link KeyedLock} within one process: callers of a key take turns in arrival order. Keys no one holds
 * or waits for take no memory.
 *
 * @group Adapters
 */
export class InProcessKeyedLock implements KeyedLock {
  /** The tail of each key's queue: the promise the next caller waits for. */
  readonly #tails = new Map<string, Promise<void>>();
  /**
   * When each tracked key was last taken, oldest first: by a 30-bit hash of the key, in whole seconds since
   * this lock was made. Both are small integers, which V8 keeps inside the map's table: an entry takes about
   * 30 bytes instead of about 150 for the key's string and a boxed time, so the 100 000 keys a long import
   * leaves here hold about 3 MB. Two keys sharing a hash only make the second holder look again
   * (`heldBefore: true`), which is always safe.
   */
  readonly #taken = new Map<number, number>();
  readonly #epoch = Date.now();

  /** Runs `fn` while holding the lock of `key`; waits while another caller holds it. */
  async withLock<T>(
    key: string,
    fn: (lease?: LockLease) => Promise<T>,
    options: WithLockOptions = {},
  ): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    let hold = 0;
    const lease: LockLease = {
      heldBefore: options.track ? this.#take(key) : true,
      holdAfter: (ms) => {
        hold = Math.max(hold, ms);
      },
    };
    const done = () => {
      release();
      // The last in the queue cleans up; a later caller has replaced the tail otherwise.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    try {
      return await fn(lease);
    } finally {
      // Not unref'd: a run waiting for a held key is work in progress, and must keep the process alive.
      if (hold > 0) setTimeout(done, hold);
      else done();
    }
  }

  /** Marks a tracked key as taken now, and says whether it was taken within the memory before. */
  #take(key: string): boolean {
    const now = Math.floor((Date.now() - this.#epoch) / 1000);
    const hash = keyHash(key);
    const last = this.#taken.get(hash);
    this.#taken.delete(hash);
    this.#taken.set(hash, now);
    if (this.#taken.size > TRACKED_KEY_LIMIT) this.#taken.delete(this.#taken.keys().next().value as number);
    // Whole seconds, rounded down both times: a key taken up to a second more than the memory ago may still
    // count as held before, the safe side.
    return last !== undefined && now - last <= TRACKED_KEY_MEMORY / 1000;
  }

  /** How many keys are held or waited for (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}

/** FNV-1a of a key's UTF-16 code units, cut to 30 bits so V8 stores it as a small integer. */
function keyHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

/**
 * The process-wide default: every `OrderService` built without a `lock` shares it, so two services of one
 * process never create the same customer or address at once. Keys carry the Omnitron and channel
 * (`OmnitronIntegration.lockNamespace`), so unrelated channels do not wait for each other.
 *
 * @group Adapters
 */
export const processKeyedLock: KeyedLock = new InProcessKeyedLock();
