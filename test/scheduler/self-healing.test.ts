import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { type FlowRunner, FlowScheduler } from '../../src/scheduler/index.js';
import { capturingLogger } from '../support.js';
import { emptyResult, redisUrl, testScheduler, until } from './redis-schedulers.js';

const idle = (): FlowRunner =>
  ({
    fetchAndCreateOrder: async () => emptyResult(),
  }) as unknown as FlowRunner;

describe.skipIf(!redisUrl)('self-healing (real Redis)', () => {
  it('re-creates job schedulers Redis lost within one reconcile interval, and says so at warn', async () => {
    const logs: string[] = [];
    let runs = 0;
    const s = testScheduler({ reconcileInterval: 300, logger: capturingLogger(logs) }).register({
      id: 'acme',
      service: () => ({
        ...idle(),
        fetchAndCreateOrder: async () => {
          runs += 1;
          return idle().fetchAndCreateOrder({}, undefined as never);
        },
      }),
      flows: { fetchAndCreateOrder: { every: 200 }, updateOrders: { every: 60_000 } },
    });
    await s.start();
    await until(() => runs >= 1);
    const queue = s.queue as Queue;
    const redis = (await queue.client) as unknown as {
      keys(pattern: string): Promise<string[]>;
      del(...keys: string[]): Promise<number>;
    };
    // What a Redis restarted without persistence (or FLUSHDB) leaves of this queue: nothing. Only this
    // queue's keys are deleted: other suites share the test database.
    const keys = await redis.keys(`bull:${queue.name}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);

    const lostAt = Date.now();
    await until(() => logs.some((l) => l.startsWith('warn job schedulers missing')));
    // One interval (300 ms), give or take a tick; measured at about 300 ms.
    expect(Date.now() - lostAt).toBeLessThan(3000);
    expect(
      logs.filter((l) => l.startsWith('warn job schedulers missing (Redis restarted empty?); re-created 2')),
    ).toHaveLength(1);
    expect((await queue.getJobSchedulers(0, -1)).map((j) => j.key).sort()).toEqual([
      'acme:fetchAndCreateOrder',
      'acme:updateOrders',
    ]);
    expect(s.counts().recreated).toBe(2);
    // And the flows run again.
    const before = runs;
    await until(() => runs > before + 1);
  });

  it('logs errors of its BullMQ objects through the logger, redacted, and keeps running', async () => {
    const logs: string[] = [];
    const s = testScheduler({ secrets: ['hunter2-secret'], logger: capturingLogger(logs) }).register({
      id: 'acme',
      service: idle,
      flows: {},
    });
    await s.start();
    s.queue?.emit('error', new Error('NOAUTH for hunter2-secret'));
    s.queue?.emit('error', new Error('NOAUTH for hunter2-secret'));
    const lines = logs.filter((l) => l.startsWith('error scheduler queue error'));
    // The second, identical one within 10 s is counted, not logged again.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('NOAUTH');
    expect(lines[0]).not.toContain('hunter2-secret');
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(async () => (await s.queue?.getJob(job.id ?? ''))?.finishedOn !== undefined);
  });

  it('logs an unreachable Redis through the logger rather than throwing or printing', async () => {
    const logs: string[] = [];
    const s = new FlowScheduler({
      connection: { url: 'redis://:hunter2-secret@127.0.0.1:1/0' },
      queueName: 'never-reached',
      logger: capturingLogger(logs),
    }).register({ id: 'acme', service: idle, flows: { fetchAndCreateOrder: { every: 1000 } } });
    // start() waits for a Redis that never answers; what matters is what the operator sees meanwhile.
    const starting = s.start().catch((error: unknown) => error);
    await until(() => logs.some((l) => l.startsWith('error scheduler queue error')));
    const line = logs.find((l) => l.startsWith('error scheduler queue error')) ?? '';
    expect(line).toContain('ECONNREFUSED');
    expect(line).not.toContain('hunter2-secret');
    await s.stop();
    await starting;
  });
});
