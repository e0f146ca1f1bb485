import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { FlowResult } from '../../src/index.js';
import type { FlowFailure, FlowRunner } from '../../src/scheduler/index.js';
import { RunLock } from '../../src/scheduler/run-lock.js';
import { capturingLogger } from '../support.js';
import { queueName, redisUrl, testScheduler } from './redis-schedulers.js';

if (!redisUrl)
  console.warn('Scheduler tests skipped: set REDIS_URL to a Redis server (.ci/run starts one) to run them.');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeout = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error('timed out waiting');
    await sleep(20);
  }
}

function result(flow: FlowResult['flow']): FlowResult {
  return {
    flow,
    batchRequest: null,
    batchRequests: [],
    counts: { fetched: 1, created: 1, updated: 0, skipped: 0, failed: 0 },
    items: [],
    reports: { sent: 0, failedToSend: 0 },
    acknowledged: 0,
  };
}

/** A flow runner whose fetchAndCreateOrder does what the test says. */
function runner(fetch: () => Promise<FlowResult>): FlowRunner {
  return { fetchAndCreateOrder: fetch } as unknown as FlowRunner;
}

describe.skipIf(!redisUrl)('FlowScheduler with Redis', () => {
  it('runs a flow on its repeating schedule', async () => {
    let runs = 0;
    const s = testScheduler({ queueName: queueName() }).register({
      id: 'acme',
      service: () =>
        runner(async () => {
          runs += 1;
          return result('fetchAndCreateOrder');
        }),
      flows: { fetchAndCreateOrder: { every: 150 } },
    });
    await s.start();
    await until(() => runs >= 3);
    const schedulers = await s.queue?.getJobSchedulers();
    expect(schedulers?.map((j) => j.key)).toEqual(['acme:fetchAndCreateOrder']);
  });

  it('never runs one channel flow on two workers at once, and logs the skipped trigger', async () => {
    const name = queueName();
    const windows: [number, number][] = [];
    const logs: string[] = [];
    const slowFlow = () =>
      runner(async () => {
        const start = Date.now();
        await sleep(250);
        windows.push([start, Date.now()]);
        return result('fetchAndCreateOrder');
      });
    const registration = { id: 'acme', service: slowFlow, flows: { fetchAndCreateOrder: { every: 60_000 } } };
    // A short lock TTL: a trigger that finds the lock held waits up to one TTL before it is skipped.
    const options = { queueName: name, concurrency: 4, lockTtl: 1000, logger: capturingLogger(logs) };
    const a = testScheduler(options).register(registration);
    const b = testScheduler(options).register(registration);
    await a.start();
    await b.start();
    for (let i = 0; i < 8; i += 1) await (i % 2 ? a : b).runNow('acme', 'fetchAndCreateOrder');
    await until(() => logs.filter((l) => l.includes('skipped')).length >= 2 && windows.length >= 1);
    await sleep(600);
    const sorted = [...windows].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i += 1)
      expect(sorted[i]?.[0], 'a run started before the previous one ended').toBeGreaterThanOrEqual(
        sorted[i - 1]?.[1] ?? 0,
      );
    expect(logs.some((l) => l.startsWith('warn skipped: another run of this flow is in progress'))).toBe(
      true,
    );
  });

  it('lets the running flow finish when stopped', async () => {
    let running = false;
    let finished = false;
    const s = testScheduler({ queueName: queueName() }).register({
      id: 'acme',
      service: () =>
        runner(async () => {
          running = true;
          await sleep(400);
          finished = true;
          return result('fetchAndCreateOrder');
        }),
      flows: { fetchAndCreateOrder: { every: 60_000 } },
    });
    await s.start();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(() => running);
    const queue = new Queue(s.queue?.name ?? '', { connection: { url: redisUrl } as never });
    await s.stop();
    expect(finished).toBe(true);
    expect(await (await queue.getJob(job.id ?? ''))?.getState()).toBe('completed');
    await queue.close();
  });

  it('retries a failing flow with backoff, then keeps it failed and says so', async () => {
    let attempts = 0;
    const failures: FlowFailure[] = [];
    const logs: string[] = [];
    const s = testScheduler({
      queueName: queueName(),
      attempts: 3,
      onFailed: (f) => failures.push(f),
      logger: capturingLogger(logs),
    }).register({
      id: 'acme',
      service: () =>
        runner(async () => {
          attempts += 1;
          throw new Error('marketplace down');
        }),
      flows: {},
    });
    await s.start();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(() => failures.length === 1);
    expect(attempts).toBe(3);
    expect(failures[0]).toMatchObject({ channelId: 'acme', flow: 'fetchAndCreateOrder', attemptsMade: 3 });
    expect(failures[0]?.error.message).toBe('marketplace down');
    const failed = await s.queue?.getFailed();
    expect(failed?.map((j) => j.id)).toContain(job.id);
    expect(logs.filter((l) => l.startsWith('warn flow failed; BullMQ will retry it'))).toHaveLength(2);
    expect(logs.some((l) => l.startsWith('error flow failed on its last attempt'))).toBe(true);
  });

  it('returns the flow result as the job result', async () => {
    const s = testScheduler({ queueName: queueName() }).register({
      id: 'acme',
      service: () => runner(async () => result('fetchAndCreateOrder')),
      flows: {},
    });
    await s.start();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    let value: unknown;
    for (let i = 0; i < 200 && value === undefined; i += 1) {
      value = (await s.queue?.getJob(job.id ?? ''))?.returnvalue ?? undefined;
      if (value === undefined) await sleep(25);
    }
    expect(value).toMatchObject({ flow: 'fetchAndCreateOrder', counts: { created: 1 }, failures: [] });
  });
});

describe.skipIf(!redisUrl)('RunLock', () => {
  it('lets one holder in at a time, and frees the key on release or expiry', async () => {
    const queue = new Queue(queueName(), { connection: { url: redisUrl } as never });
    const redis = (await queue.client) as unknown as ConstructorParameters<typeof RunLock>[0];
    const lock = new RunLock(redis, { ttl: 1000, prefix: `test-lock-${randomUUID()}` });
    const first = await lock.acquire('acme:flow');
    expect(first).not.toBeNull();
    expect(await lock.acquire('acme:flow')).toBeNull();
    await sleep(1300); // renewed while held
    expect(await lock.acquire('acme:flow')).toBeNull();
    await first?.release();
    const second = await lock.acquire('acme:flow');
    expect(second).not.toBeNull();
    await second?.release();
    await queue.close();
  });
});
