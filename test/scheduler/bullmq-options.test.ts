import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/index.js';
import { type FlowRunner, FlowScheduler } from '../../src/scheduler/index.js';
import { countingRunner, emptyResult, redisUrl, testScheduler, until } from './redis-schedulers.js';

const idle = (): FlowRunner => ({ fetchAndCreateOrder: async () => emptyResult() }) as unknown as FlowRunner;
const failing = (): FlowRunner =>
  ({
    fetchAndCreateOrder: async () => {
      throw new Error('marketplace down');
    },
  }) as unknown as FlowRunner;

/** Runs the flow `n` times, one after the other (runs of one channel flow never overlap). */
async function runTimes(s: FlowScheduler, n: number): Promise<void> {
  const queue = s.queue as Queue;
  for (let i = 0; i < n; i += 1) {
    const id = String((await s.runNow('acme', 'fetchAndCreateOrder')).id);
    // Finished, or already removed by removeOnComplete / removeOnFail.
    await until(async () => {
      const job = await queue.getJob(id);
      return !job || job.finishedOn !== undefined;
    });
  }
}

describe('BullMQ options of FlowScheduler, checked', () => {
  it.each([
    [{ limiter: { max: 0, duration: 1000 } }, 'limiter.max'],
    [{ limiter: { max: 10, duration: 1000, maxx: 1 } }, 'limiter'],
    [{ metrics: { maxDataPoint: 10 } }, 'metrics'],
    [{ name: 'two words' }, 'name: must not contain spaces'],
    [{ removeOnComplete: { age: 0 } }, 'removeOnComplete'],
    [{ removeOnComplete: -1 }, 'removeOnComplete'],
    [
      { keepFailed: 10, removeOnFail: { age: 3600 } },
      'removeOnFail: give keepFailed or removeOnFail, not both',
    ],
  ])('refuses %j, naming it', (options, named) => {
    let error: unknown;
    try {
      new FlowScheduler({ connection: { url: 'redis://127.0.0.1:1/0' }, ...(options as object) });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(String((error as Error).message)).toContain(named);
  });
});

describe.skipIf(!redisUrl)('BullMQ options of FlowScheduler, in Redis', () => {
  it('names the worker in Redis, so queue.getWorkers() lists it', async () => {
    const s = testScheduler({ name: 'worker-eu-1' }).register({ id: 'acme', service: idle, flows: {} });
    await s.start();
    await until(async () =>
      (await (s.queue as Queue).getWorkers()).some((w) => w.rawname?.endsWith(':w:worker-eu-1')),
    );
  });

  it('keeps metrics of finished runs when asked, and none otherwise', async () => {
    const withMetrics = testScheduler({ metrics: { maxDataPoints: 60 } }).register({
      id: 'acme',
      service: idle,
      flows: {},
    });
    const without = testScheduler().register({ id: 'acme', service: idle, flows: {} });
    await withMetrics.start();
    await without.start();
    await runTimes(withMetrics, 3);
    await runTimes(without, 3);
    expect((await (withMetrics.queue as Queue).getMetrics('completed')).meta.count).toBe(3);
    expect((await (without.queue as Queue).getMetrics('completed')).meta.count).toBe(0);
  });

  it('keeps completed and failed runs as removeOnComplete and removeOnFail say', async () => {
    const ok = testScheduler({ removeOnComplete: { count: 2 } }).register({
      id: 'acme',
      service: idle,
      flows: {},
    });
    const ko = testScheduler({ attempts: 1, removeOnFail: 1 }).register({
      id: 'acme',
      service: failing,
      flows: {},
    });
    await ok.start();
    await ko.start();
    await runTimes(ok, 4);
    await runTimes(ko, 3);
    expect(await (ok.queue as Queue).getCompletedCount()).toBe(2);
    expect(await (ko.queue as Queue).getFailedCount()).toBe(1);
  });

  it('rate-limits runs over the queue with limiter: one run per minute leaves the second waiting', async () => {
    const runs = { count: 0 };
    const s = testScheduler({ limiter: { max: 1, duration: 60_000 } }).register({
      id: 'acme',
      service: () => countingRunner(runs),
      flows: {},
    });
    await s.start();
    const queue = s.queue as Queue;
    const first = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(async () => (await queue.getJob(String(first.id)))?.finishedOn !== undefined);
    const second = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(async () => (await queue.getRateLimitTtl()) > 0);
    expect(await queue.getJobState(String(second.id))).not.toBe('completed');
    expect(runs.count).toBe(1);
  });
});
