import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, OrderService } from '../../src/index.js';
import { createWebhookWorker } from '../../src/intake/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import { queueName, redisUrl, testHandler, testWorker, until, webhookRequest } from './intake-support.js';

const service = () => new OrderService({ omnitron: new InMemoryOmnitron(), channel: new ScriptedChannel() });

describe('BullMQ options of the webhook worker, checked', () => {
  it.each([
    [{ limiter: { max: 5 } }, 'limiter.duration'],
    [{ metrics: { maxDataPoints: 0 } }, 'metrics.maxDataPoints'],
    [{ name: '' }, 'name'],
  ])('refuses %j, naming it', (options, named) => {
    let error: unknown;
    try {
      createWebhookWorker({
        connection: { url: 'redis://127.0.0.1:1' },
        service: service(),
        ...(options as object),
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(String((error as Error).message)).toContain(named);
  });
});

describe.skipIf(!redisUrl)('BullMQ options of the webhook worker, in Redis', () => {
  it('passes name, metrics and limiter to BullMQ: named in getWorkers, counted per minute, rate-limited', async () => {
    const name = queueName();
    const handler = testHandler({ queueName: name });
    testWorker({
      queueName: name,
      service: service(),
      name: 'intake-eu-1',
      metrics: { maxDataPoints: 60 },
      limiter: { max: 1, duration: 60_000 },
    });
    await until(async () =>
      (await handler.queue.getWorkers()).some((w) => w.rawname?.endsWith(':w:intake-eu-1')),
    );
    const first = buildChannelOrder();
    const second = buildChannelOrder();
    expect((await handler(webhookRequest({ type: 'order', data: first }))).status).toBe(202);
    await until(
      async () => (await handler.queue.getJobState(`acme-1:order:${first.remoteId}`)) === 'completed',
    );
    expect((await handler(webhookRequest({ type: 'order', data: second }))).status).toBe(202);
    await until(async () => (await handler.queue.getRateLimitTtl()) > 0);
    // One job a minute: the second order waits in Redis.
    expect(await handler.queue.getJobState(`acme-1:order:${second.remoteId}`)).not.toBe('completed');
    expect((await handler.queue.getMetrics('completed')).meta.count).toBe(1);
  });
});
