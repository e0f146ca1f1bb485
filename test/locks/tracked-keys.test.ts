import { describe, expect, it } from 'vitest';
import { TrackedKeys } from '../../src/locks/tracked-keys.js';

/**
 * What the table must answer, kept the plain way: every take in order. A key whose latest take is among
 * the last `limit` takes must be remembered, with that take's second; an older one may be forgotten (while
 * the table grows it remembers more), but never answered with another second.
 */
class Reference {
  /** Each key's latest take: its position in the list of takes, and its second. */
  readonly #latest = new Map<number, { at: number; second: number }>();
  readonly #window: number[] = [];
  #taken = 0;
  constructor(readonly limit: number) {}

  /** The answer the window requires (`undefined`: forgotten), and the key's true previous take. */
  take(hash: number, second: number): { required: number | undefined; latest: number | undefined } {
    const previous = this.#latest.get(hash);
    const required = previous && previous.at >= this.#taken - this.limit ? previous.second : undefined;
    this.#latest.set(hash, { at: this.#taken, second });
    this.#window.push(hash);
    if (this.#window.length > this.limit) this.#window.shift();
    this.#taken += 1;
    return { required, latest: previous?.second };
  }

  /** How many keys the window requires to be remembered. */
  get required(): number {
    return new Set(this.#window).size;
  }
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('TrackedKeys', () => {
  it('answers the second of the previous take, and nothing for a key not taken before', () => {
    const keys = new TrackedKeys(10);
    expect(keys.take(7, 100)).toBeUndefined();
    expect(keys.take(7, 105)).toBe(100);
    expect(keys.take(8, 106)).toBeUndefined();
    expect(keys.take(7, 110)).toBe(105);
    expect(keys.size).toBe(2);
  });

  it('at its limit, forgets the keys of the oldest takes, counting a key from its latest take', () => {
    const keys = new TrackedKeys(3);
    keys.take(1, 0);
    keys.take(2, 1);
    keys.take(1, 2); // 1 is now newer than 2
    keys.take(3, 3);
    keys.take(4, 4); // the takes of 2 and the first of 1 have fallen out
    expect(keys.size).toBe(3);
    expect(keys.take(2, 5)).toBeUndefined();
    expect(keys.take(1, 6)).toBeUndefined(); // its latest take (at 2) fell out when 2 was taken at 5
    expect(keys.take(4, 7)).toBe(4);
  });

  it('agrees with a plain list of takes over many random takes, across its growth and collisions', () => {
    for (const [seed, limit, distinct] of [
      [1, 5000, 300],
      [2, 3000, 20_000],
      [3, 1500, 2000],
      [4, 1, 3],
    ] as const) {
      const next = random(seed);
      const keys = new TrackedKeys(limit);
      const reference = new Reference(limit);
      for (let second = 0; second < 12_000; second += 1) {
        // Hashes as the lock makes them: 30-bit integers, here many sharing the index's low bits.
        const hash = (Math.floor(next() * distinct) * 4096) & 0x3fffffff;
        const { required, latest } = reference.take(hash, second);
        const answer = keys.take(hash, second);
        if (required !== undefined) expect(answer).toBe(required);
        else expect([undefined, latest]).toContain(answer);
      }
      expect(keys.size).toBeGreaterThanOrEqual(reference.required);
      expect(keys.size).toBeLessThanOrEqual(limit);
    }
  });

  it('stays at its limit of keys however many are taken', () => {
    const keys = new TrackedKeys(100_000);
    for (let i = 0; i < 300_000; i += 1) keys.take((i * 2654435761) & 0x3fffffff, i);
    expect(keys.size).toBe(100_000);
  });
});
