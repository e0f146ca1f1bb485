/**
 * The soak's one source of random choices, seeded from `--seed`: what the marketplace and the merchant do,
 * when a worker is killed, which faults fire. The same seed makes the same choices in the same order; the
 * interleaving with real processes and timers still varies a little, as it would in production.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }

  /** A number in [0, 1) (mulberry32). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list, or `undefined` for an empty one. */
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.next() * items.length)];
  }

  /** A seed for a generator of its own (the fault plan's), drawn from this one. */
  seed(): number {
    return this.int(1, 2 ** 31 - 1);
  }
}
