import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { FlowRunner } from '../../src/scheduler/index.js';
import { emptyResult, queueName, redisUrl, sleep, testScheduler, until } from './redis-schedulers.js';

describe.skipIf(!redisUrl)('fleetStatus (real Redis)', () => {
  it('reports each channel flow’s next run, last run, skips and lock holder from Redis, across processes', async () => {
    const name = queueName();
    let release: () => void = () => undefined;
    const worker = testScheduler({ queueName: name, name: 'worker-a', attempts: 1, lockTtl: 1000 });
    worker.register({
      id: 'acme',
      service: () =>
        ({
          fetchAndCreateOrder: async () => ({
            ...emptyResult(),
            counts: { fetched: 3, created: 2, updated: 0, skipped: 0, failed: 1 },
          }),
          updateOrders: async () => {
            // Personal data in a message must not reach the record.
            throw Object.assign(new Error('customer jane@example.com refused'), { code: 'MARKETPLACE_DOWN' });
          },
          getOrderBatchRequests: () => new Promise((resolve) => (release = () => resolve(emptyResult()))),
        }) as unknown as FlowRunner,
      flows: { fetchAndCreateOrder: { every: 3_600_000 }, updateOrders: { pattern: '0 3 * * *' } },
    });
    await worker.start();
    const queue = worker.queue as Queue;
    const done = async (id: string | undefined) =>
      until(async () => (await queue.getJob(String(id)))?.finishedOn !== undefined);
    await done((await worker.runNow('acme', 'fetchAndCreateOrder')).id);
    await done((await worker.runNow('acme', 'updateOrders')).id);
    await worker.runNow('acme', 'getOrderBatchRequests');

    // Another process, with no worker and no channel of its own, reads what worker-a left in Redis.
    const operator = testScheduler({ queueName: name, lockTtl: 1000 });
    await operator.start({ worker: false });
    await until(async () => (await operator.fleetStatus()).some((f) => f.running));
    const status = await operator.fleetStatus();
    const byFlow = Object.fromEntries(status.map((f) => [f.flow, f]));
    expect(status.map((f) => `${f.channelId}:${f.flow}`).sort()).toEqual([
      'acme:fetchAndCreateOrder',
      'acme:getOrderBatchRequests',
      'acme:updateOrders',
    ]);
    expect(byFlow.fetchAndCreateOrder).toMatchObject({
      channelId: 'acme',
      schedule: { every: 3_600_000 },
      skips: 0,
      lastRun: {
        outcome: 'finished',
        attempt: 1,
        counts: { fetched: 3, created: 2, updated: 0, skipped: 0, failed: 1 },
        worker: expect.stringMatching(/^worker-a:/),
      },
    });
    expect(byFlow.fetchAndCreateOrder?.nextRunAt?.getTime()).toBeGreaterThan(Date.now());
    expect(byFlow.updateOrders).toMatchObject({
      schedule: { pattern: '0 3 * * *' },
      lastRun: { outcome: 'failed', errorCode: 'MARKETPLACE_DOWN' },
    });
    // runNow only: no job scheduler, so no next run; it is running on worker-a.
    expect(byFlow.getOrderBatchRequests?.nextRunAt).toBeUndefined();
    expect(byFlow.getOrderBatchRequests?.running?.worker).toMatch(/^worker-a:/);

    // A trigger skipped while that run lives is counted in Redis too.
    const skipped = await worker.runNow('acme', 'getOrderBatchRequests');
    await done(skipped.id);
    expect((await operator.fleetStatus()).find((f) => f.flow === 'getOrderBatchRequests')?.skips).toBe(1);
    release();
    await until(async () => !(await operator.fleetStatus()).some((f) => f.running));

    // Nothing but times, counts and codes is kept: no message, no personal data.
    const redis = (await queue.client) as unknown as {
      hgetall(key: string): Promise<Record<string, string>>;
    };
    const record = await redis.hgetall(`${name}:last-run:acme:updateOrders`);
    expect(Object.keys(record).sort()).toEqual(
      ['attempt', 'counts', 'durationMs', 'endedAt', 'errorCode', 'jobId', 'outcome', 'worker'].sort(),
    );
    expect(JSON.stringify(record)).not.toContain('jane');

    // The worker is gone; its records stay.
    await worker.stop();
    await sleep(50);
    expect(
      (await operator.fleetStatus()).find((f) => f.flow === 'fetchAndCreateOrder')?.lastRun?.outcome,
    ).toBe('finished');
  });
});
