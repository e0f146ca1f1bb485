import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, InvalidPayloadError } from '../../src/index.js';
import { createWebhookHandler, type WebhookHandler, type WebhookRejection } from '../../src/intake/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';
import { capturingLogger } from '../support.js';
import {
  acmeAdapter,
  queueName,
  redisUrl,
  SECRET,
  sign,
  testHandler,
  until,
  webhookRequest,
} from './intake-support.js';

if (!redisUrl) console.warn('Webhook intake tests skipped: set REDIS_URL to a Redis server to run them.');

/** Every job in the queue, whatever its state. */
async function jobCount(handler: WebhookHandler): Promise<number> {
  return handler.queue.getJobCountByTypes(
    'waiting',
    'active',
    'delayed',
    'completed',
    'failed',
    'prioritized',
  );
}

describe('createWebhookHandler options', () => {
  it('refuses bad options with InvalidOptionsError naming each', () => {
    let thrown: unknown;
    try {
      createWebhookHandler({
        connection: { url: 'http://x' },
        channelId: 'acme 1',
        adapter: { verify: () => true } as never,
        queueName: 'a:b',
        maxBodyByte: 10,
        bodyTimeout: 0,
      } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    const problems = (thrown as InvalidOptionsError).problems.join('\n');
    for (const name of ['connection.url', 'channelId', 'adapter', 'queueName', 'maxBodyByte', 'bodyTimeout'])
      expect(problems).toContain(name);
  });
});

describe.skipIf(!redisUrl)('the webhook handler with Redis', () => {
  it('answers 202 for a valid signed order only once the job is in Redis, with exactly one job', async () => {
    const handler = testHandler();
    const order = buildChannelOrder();
    const response = await handler(webhookRequest({ type: 'order', data: order }));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { status: string; jobId: string };
    expect(body).toEqual({ status: 'queued', jobId: `acme-1:order:${order.remoteId}` });
    // Read back from Redis through another path than the handler's answer.
    const job = await handler.queue.getJob(body.jobId);
    expect(job?.data).toEqual({
      channelId: 'acme-1',
      kind: 'order',
      data: JSON.parse(JSON.stringify(order)),
    });
    expect(job?.opts.attempts).toBe(10);
    expect(await jobCount(handler)).toBe(1);
  });

  it('queues the same event delivered twice once, and answers 202 both times', async () => {
    const handler = testHandler();
    const order = buildChannelOrder();
    const first = await handler(webhookRequest({ type: 'order', data: order }));
    const second = await handler(webhookRequest({ type: 'order', data: order }));
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await jobCount(handler)).toBe(1);
  });

  it('counts two different cancels of one order as two events, and a re-delivered cancel as one', async () => {
    const handler = testHandler();
    const order = buildChannelOrder();
    const first = { order: order.remoteId, cancelItems: ['L-1', 'L-2'] };
    const second = { order: order.remoteId, cancelItems: ['L-2'] };
    // A re-delivery may list the same lines in another order: still the same event.
    const again = { order: order.remoteId, cancelItems: ['L-2', 'L-1'] };
    for (const cancel of [first, second, again])
      expect((await handler(webhookRequest({ type: 'cancel', data: cancel }))).status).toBe(202);
    expect(await jobCount(handler)).toBe(2);
  });

  it('answers 401 for a bad or missing signature and queues nothing', async () => {
    const handler = testHandler();
    const event = { type: 'order', data: buildChannelOrder() };
    const wrong = await handler(
      webhookRequest(event, { signature: sign(JSON.stringify(event), 'not-the-secret') }),
    );
    const missing = await handler(
      new Request('http://localhost/hook', { method: 'POST', body: JSON.stringify(event) }),
    );
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({ error: 'invalid signature' });
    expect(await jobCount(handler)).toBe(0);
  });

  it('answers 413 for a body above the cap, declared or streamed, without reading it whole', async () => {
    const handler = testHandler({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ type: 'order', data: { remoteId: 'x'.repeat(2000) } });
    expect((await handler(webhookRequest(big))).status).toBe(413);
    // No Content-Length: a stream that would never end; the handler stops at the cap.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(256).fill(32));
      },
    });
    const streamed = new Request('http://localhost/hook', {
      method: 'POST',
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(streamed);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect(await jobCount(handler)).toBe(0);
  });

  it('answers 400 for a body that is not JSON, 405 for a GET, 202 without a job for an ignored event', async () => {
    const handler = testHandler();
    const notJson = await handler(webhookRequest('{"type": "order", '));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'the body is not JSON' });
    const get = await handler(webhookRequest('', { method: 'GET' }));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const ignored = await handler(webhookRequest({ type: 'ping' }));
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toEqual({ status: 'ignored' });
    expect(await jobCount(handler)).toBe(0);
  });

  it('answers 422 naming the invalid fields, queues nothing, logs at warn and hands the payload to onRejected', async () => {
    const logs: string[] = [];
    const rejections: WebhookRejection[] = [];
    const handler = testHandler({
      logger: capturingLogger(logs),
      onRejected: (r) => void rejections.push(r),
    });
    const order = { ...buildChannelOrder(), amount: 'lots', items: [] };
    const response = await handler(webhookRequest({ type: 'order', data: order }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; issues: { path: string }[] };
    expect(body.error).toBe('invalid webhook order');
    expect(body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['amount', 'items']));
    expect(await jobCount(handler)).toBe(0);
    expect(logs.some((l) => l.startsWith('warn webhook refused: invalid data'))).toBe(true);
    await until(() => rejections.length === 1);
    expect(rejections[0]?.error).toBeInstanceOf(InvalidPayloadError);
    expect(rejections[0]?.remoteId).toBe(order.remoteId);
    expect(rejections[0]?.payload).toEqual(JSON.parse(JSON.stringify(order)));
  });

  it('answers 503 within its timeout when Redis does not answer, with no secret in the answer or logs', async () => {
    const logs: string[] = [];
    const password = 'redis-pass-never-shown-77';
    const handler = createWebhookHandler({
      // Nothing listens on port 1: the connection never becomes ready.
      connection: { url: `redis://:${password}@127.0.0.1:1/0` },
      queueName: queueName(),
      channelId: 'acme-1',
      adapter: acmeAdapter,
      redisTimeout: 300,
      allowVolatileRedis: true,
      logger: capturingLogger(logs),
    });
    try {
      const started = Date.now();
      const response = await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }));
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'the event could not be stored; try again later' });
      // Not waiting on Redis' own reconnect loop: the timeout answered (the bound is loose on purpose).
      expect(elapsed).toBeLessThan(5000);
      expect(logs.some((l) => l.startsWith('error webhook not stored'))).toBe(true);
      for (const line of [text, ...logs]) {
        expect(line).not.toContain(password);
        expect(line).not.toContain(SECRET);
      }
    } finally {
      await handler.close();
    }
  });

  it('keeps the webhook secret and the Redis password out of answers, log lines and job data', async () => {
    const logs: string[] = [];
    const handler = testHandler({ logger: capturingLogger(logs), secrets: [SECRET] });
    const order = buildChannelOrder();
    const answers = [
      await handler(webhookRequest({ type: 'order', data: order })),
      await handler(webhookRequest({ type: 'order', data: order }, { signature: 'sha256=00' })),
      await handler(webhookRequest({ type: 'order', data: { ...order, amount: SECRET } })),
    ];
    expect(answers.map((a) => a.status)).toEqual([202, 401, 422]);
    const texts = await Promise.all(answers.map((a) => a.text()));
    // The 422 names the refused field, never its value (here the secret).
    expect(texts[2]).toContain('"path":"amount"');
    const jobs = await handler.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    const stored = jobs.map((job) => inspect(job.data, { depth: Number.POSITIVE_INFINITY }));
    expect(stored).toHaveLength(1);
    for (const text of [...texts, ...logs, ...stored]) expect(text).not.toContain(SECRET);
  });
});
