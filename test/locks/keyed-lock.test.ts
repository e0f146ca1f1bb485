import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InProcessKeyedLock, type KeyedLock, LockTimeoutError, TRACKED_KEY_MEMORY } from '../../src/index.js';
import { RedisKeyedLock } from '../../src/scheduler/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `n` overlapping critical sections per key and returns the most that were ever inside at once. */
async function maxInside(locks: KeyedLock[], keys: string[], n: number): Promise<Record<string, number>> {
  const inside: Record<string, number> = {};
  const most: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const key = keys[i % keys.length] as string;
      const lock = locks[i % locks.length] as KeyedLock;
      return lock.withLock(key, async () => {
        inside[key] = (inside[key] ?? 0) + 1;
        most[key] = Math.max(most[key] ?? 0, inside[key]);
        await sleep(5);
        inside[key] -= 1;
      });
    }),
  );
  return most;
}

/**
 * `a` holds a key and asks to keep it 300 ms after its work ends; `b` (the same lock object for the
 * in-process lock) gets into that key only after that, and into another key first.
 */
async function expectHoldAfter(a: KeyedLock, b: KeyedLock): Promise<void> {
  await a.withLock('order:1', async (lease) => {
    lease?.holdAfter?.(300);
  });
  const ended = Date.now();
  const entered: string[] = [];
  const enter = (key: string) => b.withLock(key, async () => void entered.push(key));
  await Promise.all([enter('order:1'), enter('order:2')]);
  expect(entered).toEqual(['order:2', 'order:1']);
  // A lower bound only: however busy the machine, the key cannot be free before it.
  expect(Date.now() - ended).toBeGreaterThanOrEqual(280);
}

describe('InProcessKeyedLock', () => {
  it("tells a tracked key's next holder that it was held before, within the memory only", async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), toFake: ['Date'] });
    try {
      const lock = new InProcessKeyedLock();
      const heldBefore = (key: string) =>
        lock.withLock(key, async (lease) => lease?.heldBefore, { track: true });
      expect(await heldBefore('ns:order:A-1')).toBe(false);
      expect(await heldBefore('ns:order:A-1')).toBe(true);
      expect(await heldBefore('ns:order:A-2')).toBe(false);
      // Untracked: nothing is known, so the holder is told to assume someone held it.
      expect(await lock.withLock('ns:order:A-3', async (lease) => lease?.heldBefore)).toBe(true);
      vi.setSystemTime(Date.now() + TRACKED_KEY_MEMORY + 2000);
      expect(await heldBefore('ns:order:A-1')).toBe(false);
      expect(await heldBefore('ns:order:A-1')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets one caller per key in at a time, different keys at once, and forgets idle keys', async () => {
    const lock = new InProcessKeyedLock();
    expect(await maxInside([lock], ['a'], 10)).toEqual({ a: 1 });
    let inside = 0;
    let most = 0;
    await Promise.all(
      ['x', 'y', 'z'].map((k) =>
        lock.withLock(k, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(20);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(lock.size).toBe(0);
  });

  it('keeps a key held for as long as its holder asked after the work ends, then lets the next in', async () => {
    const lock = new InProcessKeyedLock();
    await expectHoldAfter(lock, lock);
  });

  it('releases the key when the work throws', async () => {
    const lock = new InProcessKeyedLock();
    await expect(lock.withLock('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withLock('k', async () => 'next')).resolves.toBe('next');
  });
});

const redisUrl = process.env.REDIS_URL;
describe.skipIf(!redisUrl)('RedisKeyedLock (two clients, as two processes would have)', () => {
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(redisUrl as string, { lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  const prefix = `test-lock-${process.pid}-${Date.now()}`;
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('keeps a key held for as long as its holder asked after the work ends, across clients', async () => {
    await expectHoldAfter(
      new RedisKeyedLock(client(), { prefix: `${prefix}-hold`, retryDelay: 5 }),
      new RedisKeyedLock(client(), { prefix: `${prefix}-hold`, retryDelay: 5 }),
    );
  });

  it('lets one holder per key in at a time across clients', async () => {
    const locks = [
      new RedisKeyedLock(client(), { prefix, retryDelay: 5 }),
      new RedisKeyedLock(client(), { prefix, retryDelay: 5 }),
    ];
    expect(await maxInside(locks, ['customer:a', 'customer:b'], 16)).toEqual({
      'customer:a': 1,
      'customer:b': 1,
    });
  });

  it('renews a key held longer than its ttl, releases it after a throw, and never stores the key in clear', async () => {
    const redis = client();
    const a = new RedisKeyedLock(redis, { prefix, ttl: 600, retryDelay: 10 });
    const b = new RedisKeyedLock(client(), { prefix, ttl: 600, retryDelay: 10, waitTimeout: 1500 });
    let bGotIn = false;
    const holding = a.withLock('email:someone@example.com', async () => {
      await sleep(2000);
      return 'done';
    });
    await sleep(50);
    // Three ttls later the key is still held (renewed), so b gives up with a typed error.
    await expect(
      b.withLock('email:someone@example.com', async () => {
        bGotIn = true;
      }),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    expect(bGotIn).toBe(false);
    expect((await redis.keys(`${prefix}:*`)).join()).not.toContain('someone@example.com');
    await expect(holding).resolves.toBe('done');
    await expect(a.withLock('k2', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(b.withLock('k2', async () => 'free')).resolves.toBe('free');
  });
});
