/**
 * Remembers answers that rarely change (geography, cargo companies) for a while. It keeps promises, so
 * concurrent look-ups of one key share one request, and forgets failures at once, so a miss (an unmapped
 * city) is asked again next time: a merchant's new mapping takes effect without waiting.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; expires: number }>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttl = ttlMs;
    this.#now = now;
  }

  /** The remembered value for `key`, or the value `load` gives (remembered if it succeeds). */
  remember(key: string, load: () => Promise<V>): Promise<V> {
    if (this.#ttl <= 0) return load();
    const entry = this.#entries.get(key);
    if (entry && entry.expires > this.#now()) return entry.value;
    const value = load();
    this.#entries.set(key, { value, expires: this.#now() + this.#ttl });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  /** Forgets `key`. */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}
