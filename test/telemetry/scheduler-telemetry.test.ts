import { describe, expect, it } from 'vitest';
import { countingRunner, queueName, redisUrl, testScheduler, until } from '../scheduler/redis-schedulers.js';
import { installOtel, recordingBullmqTelemetry } from './otel-harness.js';

const { points } = installOtel();

/** The lateness data points of one trigger: how many runs, and their total lateness in seconds. */
async function lateness(trigger: string) {
  const found = (await points('channel_app.scheduler.run.lateness')).filter(
    (p) => p.attributes['channel_app.scheduler.trigger'] === trigger,
  );
  const values = found.map((p) => p.value as { count: number; sum: number });
  return {
    attributes: found.map((p) => p.attributes),
    count: values.reduce((n, v) => n + v.count, 0),
    sum: values.reduce((n, v) => n + v.sum, 0),
  };
}

describe.skipIf(!redisUrl)('scheduler telemetry', () => {
  it('reports the runs waiting in its queue, then how late each started after it was added', async () => {
    const name = queueName();
    const runs = { count: 0 };
    const registration = {
      id: 'acme',
      service: () => countingRunner(runs),
      flows: { fetchAndCreateOrder: { every: 3_600_000 } },
    };
    // No worker yet: two runs added now wait in the queue.
    const producer = testScheduler({ queueName: name }).register(registration);
    await producer.start({ worker: false });
    const added = Date.now();
    await producer.runNow('acme', 'fetchAndCreateOrder');
    await producer.runNow('acme', 'fetchAndCreateOrder');

    const depth = (await points('channel_app.queue.depth')).filter(
      (p) => p.attributes['messaging.destination.name'] === name,
    );
    expect(depth.map((p) => p.value)).toEqual([2]);
    const waitedBeforeWorker = (Date.now() - added) / 1000;

    // A worker comes: the first run starts at once, the second after the first ended (one at a time).
    const worker = testScheduler({ queueName: name }).register(registration);
    await worker.start();
    await until(() => runs.count >= 2);
    await until(async () => (await lateness('run_now')).count === 2);

    const late = await lateness('run_now');
    expect(late.attributes).toEqual([
      { 'channel_app.flow': 'fetchAndCreateOrder', 'channel_app.scheduler.trigger': 'run_now' },
    ]);
    // Each waited at least from being added until the depth was read, the worker not yet started.
    expect(late.sum).toBeGreaterThanOrEqual(2 * waitedBeforeWorker);
  });

  it('records a scheduled run against its slot on the schedule', async () => {
    const runs = { count: 0 };
    const s = testScheduler().register({
      id: 'acme',
      service: () => countingRunner(runs),
      flows: { fetchAndCreateOrder: { every: 200 } },
    });
    await s.start();
    await until(() => runs.count >= 2);
    await until(async () => (await lateness('schedule')).count >= 2);
    expect((await lateness('schedule')).attributes).toEqual([
      { 'channel_app.flow': 'fetchAndCreateOrder', 'channel_app.scheduler.trigger': 'schedule' },
    ]);
  });

  it("hands a BullMQ Telemetry to BullMQ's queue and worker, which then trace the scheduler's jobs", async () => {
    const { telemetry, started } = recordingBullmqTelemetry();
    const name = queueName();
    const runs = { count: 0 };
    const scheduler = testScheduler({ queueName: name, telemetry }).register({
      id: 'acme',
      service: () => countingRunner(runs),
      flows: { fetchAndCreateOrder: { every: 3_600_000 } },
    });
    await scheduler.start();
    await scheduler.runNow('acme', 'fetchAndCreateOrder');
    await until(() => runs.count >= 1);
    await until(() => started.some((span) => span.startsWith('process ')));

    expect(started).toEqual(expect.arrayContaining([`process ${name}`]));
    expect(started.some((span) => span.startsWith('add '))).toBe(true);
  });
});
