import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, OrderService } from '../../src/index.js';
import { createWebhookWorker, type WebhookFailure } from '../../src/intake/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import { capturingLogger } from '../support.js';
import { queueName, redisUrl, testHandler, testWorker, until, webhookRequest } from './intake-support.js';

function inMemoryService(logs: string[] = []) {
  const omnitron = new InMemoryOmnitron();
  const service = new OrderService({
    omnitron,
    channel: new ScriptedChannel(),
    logger: capturingLogger(logs),
  });
  return { omnitron, service };
}

describe('createWebhookWorker options', () => {
  it('refuses a service without createOrder and an unknown option', () => {
    expect(() =>
      createWebhookWorker({
        connection: { url: 'redis://127.0.0.1:1' },
        service: {} as never,
        concurency: 2,
      } as never),
    ).toThrow(/service: must be an OrderService.*concurency/s);
    expect(() => createWebhookWorker({ connection: { url: 'x' }, service: () => ({}) as never })).toThrow(
      InvalidOptionsError,
    );
  });
});

describe.skipIf(!redisUrl)('the webhook worker with Redis', () => {
  it('creates a queued order in Omnitron once, even when the event is delivered again after processing', async () => {
    const name = queueName();
    const handler = testHandler({ queueName: name });
    const { omnitron, service } = inMemoryService();
    const worker = testWorker({ queueName: name, service });
    const order = buildChannelOrder();
    expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    const jobId = `acme-1:order:${order.remoteId}`;
    await until(async () => (await handler.queue.getJobState(jobId)) === 'completed');
    // Within the dedup window a re-delivery finds the completed job: nothing runs again.
    expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    // Nothing was queued by it: the one job is still the completed one, finished once.
    const finishedOn = (await handler.queue.getJob(jobId))?.finishedOn;
    expect(
      await handler.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed'),
    ).toBe(1);
    expect(await handler.queue.getJobState(jobId)).toBe('completed');
    expect(worker.worker.isRunning()).toBe(true);
    expect((await handler.queue.getJob(jobId))?.finishedOn).toBe(finishedOn);
    const numbers = [...omnitron.store.orders.values()].map((o) => o.number);
    expect(numbers).toEqual([order.number]);
    const job = await handler.queue.getJob(jobId);
    expect(job?.returnvalue).toMatchObject({ flow: 'createOrder', counts: { created: 1 } });
  });

  it('imports the orders of jobs queued together in chunks, and completes each job with its own order', async () => {
    const name = queueName();
    const handler = testHandler({ queueName: name });
    const { omnitron, service } = inMemoryService();
    const orders = [
      buildChannelOrder(),
      buildChannelOrder(),
      // Omnitron knows no such cargo company: this job completes with its order failed, the others go on.
      buildChannelOrder({ cargoCompany: 'NOPE' }),
      buildChannelOrder(),
    ];
    for (const order of orders)
      expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    // Queued before the worker starts: the first job's run starts at once (it carries the cold start), the
    // three others come within its window and share the next run.
    testWorker({ queueName: name, service, chunkWindow: 200 });
    const jobIds = orders.map((o) => `acme-1:order:${o.remoteId}`);
    await until(async () => {
      const states = await Promise.all(jobIds.map((id) => handler.queue.getJobState(id)));
      return states.every((state) => state === 'completed');
    });
    expect(omnitron.callCount('createBatchRequest')).toBe(2);
    // The stale-batch sweep (two list requests) ran once, for the channel's first run.
    expect(omnitron.callCount('listBatchRequests')).toBe(2);
    const results = await Promise.all(
      jobIds.map(async (id) => (await handler.queue.getJob(id))?.returnvalue),
    );
    expect(results.map((r) => r?.items.map((i: { key: string }) => i.key))).toEqual(
      orders.map((o) => [o.number]),
    );
    expect(results.map((r) => r?.items[0]?.status)).toEqual(['created', 'created', 'failed', 'created']);
    expect(results[2]?.counts).toEqual({ fetched: 1, created: 0, updated: 0, skipped: 0, failed: 1 });
    expect(omnitron.store.orders.size).toBe(3);
    // Each created order is linked to its marketplace id: its batch request ended done before its job did.
    for (const order of [orders[0], orders[1], orders[3]]) {
      const [link] = omnitron.store.listIntegrationActions({
        contentType: 'order',
        remoteIds: [order?.remoteId ?? ''],
      });
      expect(link?.objectId).toBe(omnitron.store.findOrderByNumber(order?.number ?? '')?.id);
    }

    // A later order goes into a run of its own, which does not sweep again within the interval.
    const later = buildChannelOrder();
    await handler(webhookRequest({ type: 'order', data: later }));
    await until(
      async () => (await handler.queue.getJobState(`acme-1:order:${later.remoteId}`)) === 'completed',
    );
    expect(omnitron.callCount('createBatchRequest')).toBe(3);
    expect(omnitron.callCount('listBatchRequests')).toBe(2);
  });

  it('picks the service of the job channel when given a function, building it once per channel', async () => {
    const name = queueName();
    const acme = testHandler({ queueName: name, channelId: 'acme-1' });
    const other = testHandler({ queueName: name, channelId: 'other-2' });
    const built: string[] = [];
    const backends = new Map<string, InMemoryOmnitron>();
    testWorker({
      queueName: name,
      service: (channelId) => {
        built.push(channelId);
        const { omnitron, service } = inMemoryService();
        backends.set(channelId, omnitron);
        return service;
      },
    });
    for (const handler of [acme, other, acme])
      expect((await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))).status).toBe(202);
    await until(
      () =>
        (backends.get('acme-1')?.store.orders.size ?? 0) === 2 &&
        backends.get('other-2')?.store.orders.size === 1,
    );
    expect(built.sort()).toEqual(['acme-1', 'other-2']);
  });

  it('retries a job whose order failed with a retriable error, then creates it once', async () => {
    const name = queueName();
    const handler = testHandler({ queueName: name, backoffDelay: 10 });
    const logs: string[] = [];
    const { omnitron, service } = inMemoryService();
    omnitron.failNext('createOrder', { times: 2 });
    testWorker({ queueName: name, service, logger: capturingLogger(logs) });
    const order = buildChannelOrder();
    await handler(webhookRequest({ type: 'order', data: order }));
    const jobId = `acme-1:order:${order.remoteId}`;
    await until(async () => (await handler.queue.getJobState(jobId)) === 'completed');
    expect(omnitron.store.orders.size).toBe(1);
    expect((await handler.queue.getJob(jobId))?.attemptsMade).toBeGreaterThanOrEqual(2);
    const retries = logs.filter((l) => l.startsWith('warn webhook job failed; BullMQ will retry it'));
    expect(retries).toHaveLength(2);
    // createOrder did not throw: its order came back failed with a retriable error, which the worker retries.
    for (const line of retries) expect(line).toContain('failed with a retriable error (OMNITRON_ERROR)');
  });

  it('keeps a job failed on its last attempt with a redacted reason, and tells onFailed', async () => {
    const name = queueName();
    const secret = 'market-api-key-5566aa';
    const handler = testHandler({ queueName: name, attempts: 2, backoffDelay: 10 });
    const failures: WebhookFailure[] = [];
    const logs: string[] = [];
    testWorker({
      queueName: name,
      secrets: [secret],
      logger: capturingLogger(logs),
      onFailed: (f) => void failures.push(f),
      service: {
        createOrders: async () => {
          throw new Error(`marketplace refused key ${secret}`);
        },
        createCancel: async () => {
          throw new Error('not used');
        },
      },
    });
    const order = buildChannelOrder();
    await handler(webhookRequest({ type: 'order', data: order }));
    await until(() => failures.length === 1);
    const job = await handler.queue.getJob(`acme-1:order:${order.remoteId}`);
    expect(job?.attemptsMade).toBe(2);
    expect(job?.failedReason).toContain('[REDACTED]');
    const stored = inspect(
      { reason: job?.failedReason, stack: job?.stacktrace, data: job?.data },
      { depth: null },
    );
    for (const text of [stored, ...logs, inspect(failures[0]?.error)]) expect(text).not.toContain(secret);
    expect(logs.some((l) => l.startsWith('error webhook job failed on its last attempt'))).toBe(true);
  });
});
