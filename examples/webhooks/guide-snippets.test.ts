import { createHmac } from 'node:crypto';
import { Queue } from 'bullmq';
import { type Logger, OrderService } from 'channel-app-sdk';
import { InMemoryOmnitron, ScriptedChannel } from 'channel-app-sdk/testing';
import { DEFAULT_WEBHOOK_QUEUE, type WebhookRejection, type WebhookWorker } from 'channel-app-sdk/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { queueName, redisUrl, SECRET, sign, testHandler } from '../../test/intake/intake-support.js';
import { guide, region } from '../guide-regions.js';
import { acmeDatedWebhooks, acmeWebhooks } from './acme-adapter.js';
import { acmeWebhookHandler } from './acme-handler.js';
import type { AcmeOrder } from './acme-order.js';
import { acmeWebhookWorker } from './acme-worker.js';

/*
 * The webhook guide's other snippets (docs/webhooks.md): the adapter, the dated-signature `verify`, the
 * handler and the worker, run from the example files the guide is checked to show.
 */

/** An order as Acme sends it, written out from its webhook format. */
const acmeOrder: AcmeOrder = {
  id: 'A-9001',
  number: 'ACME-9001',
  placedAt: '2026-11-01T10:30:00.000Z',
  currency: 'TRY',
  total: '150.00',
  shippingFee: '0.00',
  carrier: 'ARAS',
  buyer: {
    id: 'B-77',
    email: 'buyer77@example.com',
    firstName: 'Ayşe',
    lastName: 'Yılmaz',
    phone: '+905550000000',
  },
  address: {
    country: 'Türkiye',
    city: 'İstanbul',
    district: 'Kadıköy',
    neighbourhood: 'Caferağa',
    street: 'Moda Caddesi 1',
    zip: '34710',
  },
  lines: [{ id: 'A-9001-1', sku: 'PROD-1', price: '150.00', vatRate: '20' }],
};

/** A log that keeps its lines. */
function recordingLogger(): Logger & { lines: { level: string; message: string; fields: unknown }[] } {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  const at = (level: string) => (fields: unknown, message?: string) =>
    void lines.push({ level, message: String(message ?? fields), fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as never;
}

const post = (body: string, headers: Record<string, string>) =>
  new Request('http://localhost/webhooks/acme', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** The queue the guide's handler and worker use by default, emptied after each test that used it. */
let defaultQueueUsed = false;
afterEach(async () => {
  if (!defaultQueueUsed || !redisUrl) return;
  defaultQueueUsed = false;
  const queue = new Queue(DEFAULT_WEBHOOK_QUEUE, { connection: { url: redisUrl } as never });
  await queue.obliterate({ force: true });
  await queue.close();
});

describe.skipIf(!redisUrl)('the webhook guide’s snippets', () => {
  it('the adapter: queues Acme’s order and cancellation mapped to the SDK’s data, ignores other events', async () => {
    const name = queueName();
    const handle = testHandler({ adapter: acmeWebhooks(SECRET), queueName: name });
    const send = (event: unknown) => {
      const body = JSON.stringify(event);
      return handle(post(body, { 'x-acme-signature': sign(body) }));
    };
    expect((await send({ type: 'order.created', order: acmeOrder })).status).toBe(202);
    expect(
      (await send({ type: 'order.cancelled', order: { id: 'A-9001' }, lineIds: ['A-9001-1'] })).status,
    ).toBe(202);
    expect((await send({ type: 'order.shipped', order: { id: 'A-9001' } })).status).toBe(202);
    const jobs = await handle.queue.getJobs(['waiting']);
    expect(jobs.map((job) => job.id).sort()).toEqual([
      expect.stringMatching(/^acme-1:cancel:A-9001%23/),
      'acme-1:order:A-9001',
    ]);
    // The job holds Acme's order mapped by `toChannelOrder`: its number, and its buyer as the customer's code.
    const order = JSON.stringify(jobs.find((job) => job.id === 'acme-1:order:A-9001')?.data);
    expect(order).toContain('"number":"ACME-9001"');
    expect(order).toContain('"channelCode":"B-77"');
    // Signed with another secret: refused, as the guide's table says.
    const body = JSON.stringify({ type: 'order.created', order: acmeOrder });
    expect((await handle(post(body, { 'x-acme-signature': sign(body, 'other-secret') }))).status).toBe(401);
  });

  it('the dated signature: a fresh call is queued, one dated over 300 s away or re-dated is refused with 401', async () => {
    const handle = testHandler({ adapter: acmeDatedWebhooks(SECRET) });
    const body = JSON.stringify({ type: 'order.created', order: acmeOrder });
    const dated = (signedAt: number, sentAt = signedAt) =>
      handle(
        post(body, {
          'x-acme-signature': createHmac('sha256', SECRET).update(`${signedAt}.${body}`).digest('hex'),
          'x-acme-timestamp': String(sentAt),
        }),
      );
    const now = Math.floor(Date.now() / 1000);
    expect((await dated(now - 400)).status).toBe(401); // a replay of a call captured earlier
    expect((await dated(now + 400)).status).toBe(401);
    expect((await dated(now - 400, now)).status).toBe(401); // re-dated: not the timestamp signed
    expect((await dated(now)).status).toBe(202);
    // The body alone, signed as the undated adapter does, is not enough.
    expect((await handle(post(body, { 'x-acme-signature': sign(body) }))).status).toBe(401);
  });

  it('the handler: refuses the tests’ Redis, which persists nothing, answering 503 and logging no secret', async () => {
    defaultQueueUsed = true;
    const logger = recordingLogger();
    const rejections: WebhookRejection[] = [];
    const handle = acmeWebhookHandler({
      redisUrl: redisUrl as string,
      webhookSecret: SECRET,
      logger,
      reportInvalidWebhook: (rejection) => void rejections.push(rejection),
    });
    try {
      await expect(handle.ready()).rejects.toMatchObject({ code: 'VOLATILE_REDIS' });
      const body = JSON.stringify({ type: 'order.created', order: acmeOrder });
      const answer = await handle(post(body, { 'x-acme-signature': sign(body) }));
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(handle.queue.name).toBe(DEFAULT_WEBHOOK_QUEUE);
      expect(await handle.queue.count()).toBe(0);
      expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
      expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
    } finally {
      await handle.close();
    }
  });

  it('the handler: hands data that fails the schema to onRejected, answered 422', async () => {
    const rejections: WebhookRejection[] = [];
    const handle = testHandler({
      adapter: acmeWebhooks(SECRET),
      onRejected: (rejection) => void rejections.push(rejection),
    });
    const body = JSON.stringify({ type: 'order.created', order: { ...acmeOrder, lines: [] } });
    expect((await handle(post(body, { 'x-acme-signature': sign(body) }))).status).toBe(422);
    await expect.poll(() => rejections.length).toBe(1);
  });

  it('the worker: creates in Omnitron the order the adapter queued', async () => {
    defaultQueueUsed = true;
    const handle = testHandler({ adapter: acmeWebhooks(SECRET), queueName: DEFAULT_WEBHOOK_QUEUE });
    const omnitron = new InMemoryOmnitron();
    let worker: WebhookWorker | undefined;
    try {
      worker = acmeWebhookWorker({
        redisUrl: redisUrl as string,
        service: new OrderService({ omnitron, channel: new ScriptedChannel() }),
        logger: recordingLogger(),
      });
      const body = JSON.stringify({ type: 'order.created', order: acmeOrder });
      expect((await handle(post(body, { 'x-acme-signature': sign(body) }))).status).toBe(202);
      await expect
        .poll(() => [...omnitron.store.orders.values()].map((o) => o.number), { timeout: 10_000 })
        .toEqual(['ACME-9001']);
    } finally {
      await worker?.close();
    }
  });
});

describe('the webhook guide shows the code the tests run', () => {
  const webhooks = guide('docs/webhooks.md');
  it.each([
    ['acme-adapter.ts', 'adapter'],
    ['acme-adapter.ts', 'replay'],
    ['acme-handler.ts', 'handler'],
    ['acme-worker.ts', 'worker'],
  ])('%s, region %s', (file, name) => {
    expect(webhooks).toContain(region(new URL(file, import.meta.url), name));
  });
});
