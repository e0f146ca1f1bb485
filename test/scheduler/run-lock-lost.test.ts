import { Job, type Queue } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowAbortedError, type FlowResult } from '../../src/index.js';
import type { LockRedis } from '../../src/locks/lock-redis.js';
import { type FlowRunner, RunLockLostError } from '../../src/scheduler/index.js';
import { RunLock } from '../../src/scheduler/run-lock.js';
import { capturingLogger } from '../support.js';
import { redisUrl, testScheduler, until } from './redis-schedulers.js';

/** A Redis double for the lock: `set` always succeeds; `eval` answers as the test says. */
function fakeRedis(evalAnswer: () => Promise<unknown>): LockRedis {
  return { set: async () => 'OK', eval: () => evalAnswer() };
}

describe('RunLock renewal failures (fake Redis, fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts the signal with RunLockLostError when the key is no longer ours', async () => {
    vi.useFakeTimers();
    const held = await new RunLock(
      fakeRedis(async () => 0),
      { ttl: 3000, prefix: 'p' },
    ).acquire('acme:flow');
    expect(held?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(held?.signal.aborted).toBe(true);
    expect(held?.signal.reason).toBeInstanceOf(RunLockLostError);
    expect(String(held?.signal.reason)).toContain('acme:flow');
    expect(String(held?.signal.reason)).toContain('the key is gone or held by another run');
  });

  it('aborts when a renewal fails with a Redis error', async () => {
    vi.useFakeTimers();
    const held = await new RunLock(
      fakeRedis(async () => {
        throw new Error('Connection is closed.');
      }),
      { ttl: 3000, prefix: 'p' },
    ).acquire('acme:flow');
    await vi.advanceTimersByTimeAsync(1000);
    expect(held?.signal.reason).toBeInstanceOf(RunLockLostError);
    expect(String(held?.signal.reason)).toContain('renewal failed');
  });

  it('aborts when Redis does not answer a renewal before the next is due', async () => {
    vi.useFakeTimers();
    const held = await new RunLock(
      fakeRedis(() => new Promise(() => undefined)),
      { ttl: 3000, prefix: 'p' },
    ).acquire('acme:flow');
    await vi.advanceTimersByTimeAsync(1000);
    expect(held?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(String(held?.signal.reason)).toContain('did not answer');
  });

  it('never aborts a lock that was released, and keeps renewing a healthy one', async () => {
    vi.useFakeTimers();
    let renewals = 0;
    const held = await new RunLock(
      fakeRedis(async () => {
        renewals += 1;
        return 1;
      }),
      { ttl: 3000, prefix: 'p' },
    ).acquire('acme:flow');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(renewals).toBeGreaterThanOrEqual(10);
    expect(held?.signal.aborted).toBe(false);
    await held?.release();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(held?.signal.aborted).toBe(false);
  });
});

describe.skipIf(!redisUrl)('a scheduled run whose lock is lost (real Redis)', () => {
  /** A flow that runs until its signal is aborted, the way the SDK's flows stop. */
  function abortableFlow(seen: { signal?: AbortSignal; started: boolean }): FlowRunner {
    return {
      fetchAndCreateOrder: (options: { signal?: AbortSignal }) =>
        new Promise<FlowResult>((_, reject) => {
          seen.signal = options.signal;
          seen.started = true;
          options.signal?.addEventListener('abort', () =>
            reject(new FlowAbortedError('fetchAndCreateOrder', options.signal?.reason)),
          );
        }),
    } as unknown as FlowRunner;
  }

  for (const how of ['deleted', 'overwritten'] as const) {
    it(`aborts the flow, fails the job and logs it when the lock key is ${how} mid-run`, async () => {
      const logs: string[] = [];
      const seen: { signal?: AbortSignal; started: boolean } = { started: false };
      const scheduler = testScheduler({
        attempts: 1,
        lockTtl: 1000,
        logger: capturingLogger(logs),
      }).register({ id: 'acme', service: () => abortableFlow(seen), flows: {} });
      await scheduler.start();
      const queue = scheduler.queue as Queue;
      // The ioredis client BullMQ connected, typed for the three commands used here.
      const redis = (await queue.client) as unknown as {
        get(key: string): Promise<string | null>;
        del(key: string): Promise<number>;
        set(key: string, value: string, px: 'PX', ttl: number): Promise<unknown>;
      };
      const job = await scheduler.runNow('acme', 'fetchAndCreateOrder');
      await until(() => seen.started);

      const key = `${queue.name}:run-lock:acme:fetchAndCreateOrder`;
      expect(await redis.get(key)).not.toBeNull();
      if (how === 'deleted') await redis.del(key);
      else await redis.set(key, 'another-holder', 'PX', 60_000);

      await until(() => seen.signal?.aborted === true);
      expect(seen.signal?.reason).toBeInstanceOf(RunLockLostError);
      await until(async () => (await Job.fromId(queue, job.id ?? ''))?.failedReason !== undefined);
      const failed = await Job.fromId(queue, job.id ?? '');
      expect(failed?.failedReason).toContain('run lock acme:fetchAndCreateOrder was lost');
      expect(logs.some((l) => l.startsWith('error run lock lost: aborting the flow'))).toBe(true);
      // The other holder's lock is left alone.
      if (how === 'overwritten') expect(await redis.get(key)).toBe('another-holder');
    });
  }
});
