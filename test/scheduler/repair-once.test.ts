import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FlowRunner } from '../../src/scheduler/index.js';
import { capturingLogger, ownRedisServer } from '../support.js';
import { emptyResult, redisUrl, sleep, testScheduler, until } from './redis-schedulers.js';

/*
 * Three workers lose their job schedulers together (a Redis restarted empty, or flushed): one makes them
 * again, the others see it done. Each test runs its own redis-server (port REPAIR_REDIS_PORT, default 6400)
 * so that it can flush and restart it.
 */
const {
  url,
  start: startRedis,
  stop: stopRedis,
} = ownRedisServer(Number(process.env.REPAIR_REDIS_PORT ?? 6400));

const channels = Array.from({ length: 200 }, (_, i) => `ch-${i}`);
const flows = {
  fetchAndCreateOrder: { every: 60_000 },
  updateOrders: { every: 60_000 },
  getOrderBatchRequests: { every: 60_000 },
};
const idle = () =>
  ({
    fetchAndCreateOrder: async () => emptyResult(),
    updateOrders: async () => emptyResult('updateOrders'),
    getOrderBatchRequests: async () => emptyResult('getOrderBatchRequests'),
  }) as unknown as FlowRunner;

/** Three started schedulers of 600 schedules, each queue's upserts counted, each with its own log. */
async function fleet() {
  const logs: string[][] = [[], [], []];
  const schedulers = logs.map((lines) => {
    const s = testScheduler({
      connection: { url },
      queueName: 'repair-once',
      reconcileInterval: 300,
      logger: capturingLogger(lines),
    });
    for (const id of channels) s.register({ id, service: idle, flows });
    return s;
  });
  for (const s of schedulers) await s.start();
  const upserts = schedulers.map((s) =>
    vi.spyOn(s.queue as NonNullable<typeof s.queue>, 'upsertJobScheduler'),
  );
  const upsertCount = () => upserts.reduce((n, spy) => n + spy.mock.calls.length, 0);
  return { schedulers, logs, upsertCount };
}

describe.skipIf(!redisUrl)('repairing lost job schedulers across three workers (own redis-server)', () => {
  let admin: Redis;
  beforeAll(async () => {
    startRedis();
    admin = new Redis(url, { lazyConnect: true });
    admin.on('error', () => undefined); // refused while the test restarts Redis
    await until(
      async () =>
        (await admin.connect().then(
          () => true,
          () => false,
        )) || admin.status === 'ready',
    );
  });
  afterAll(async () => {
    admin.disconnect();
    stopRedis();
  });

  it('after FLUSHALL: one worker makes the 600 schedulers again, the others none, and no error line', async () => {
    const { schedulers, logs, upsertCount } = await fleet();
    await admin.flushall();
    await until(async () => (await schedulers[0]?.queue?.getJobSchedulers(0, -1))?.length === 600);
    await sleep(1000); // three more intervals: nobody makes them a second time
    const recreated = schedulers.map((s) => s.counts().recreated);
    console.log('repair after FLUSHALL', JSON.stringify({ upserts: upsertCount(), recreated }));
    expect(upsertCount()).toBe(600);
    expect(recreated.sort()).toEqual([0, 0, 600]);
    expect(logs.flat().filter((l) => l.startsWith('error'))).toEqual([]);
    expect(logs.flat().filter((l) => l.startsWith('warn job schedulers missing'))).toHaveLength(1);
  });

  it('after a restart without persistence: one repair, and only the outage itself logged at error', async () => {
    const { schedulers, logs, upsertCount } = await fleet();
    stopRedis();
    await sleep(1000);
    startRedis();
    await until(
      async () => (await schedulers[0]?.queue?.getJobSchedulers(0, -1).catch(() => []))?.length === 600,
    );
    await sleep(1000);
    const recreated = schedulers.map((s) => s.counts().recreated);
    const errors = logs.flat().filter((l) => l.startsWith('error'));
    console.log(
      'repair after a restart',
      JSON.stringify({ upserts: upsertCount(), recreated, errorLines: errors.length }),
      errors.map((l) => l.slice(0, 100)),
    );
    expect(upsertCount()).toBe(600);
    expect(recreated.sort()).toEqual([0, 0, 600]);
    // Redis was down: connection errors, throttled, and nothing else.
    expect(errors.filter((l) => !/ECONNREFUSED|Connection is closed|connect/.test(l))).toEqual([]);
  });
});
