import { createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach } from 'vitest';
import {
  createWebhookHandler,
  createWebhookWorker,
  verifyHmacSignature,
  type WebhookAdapter,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from '../../src/intake/index.js';

/** The Redis the intake tests use; without it they are skipped. */
export const redisUrl = process.env.REDIS_URL;

/** The webhook secret of the tests' marketplace. */
export const SECRET = 'whsec-test-4b7d9e21c3';
/** The header it signs in. */
export const SIGNATURE_HEADER = 'x-acme-signature';

const closers: (() => Promise<void>)[] = [];
const queues: string[] = [];

// Registered in every test file that imports this module: handlers and workers close and their queues are
// emptied after each test, so no test sees another's jobs.
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  for (const name of queues.splice(0)) {
    const queue = new Queue(name, { connection: { url: redisUrl } as never });
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

/** A fresh queue name, emptied after the test. */
export function queueName(): string {
  const name = `test-webhooks-${randomUUID()}`;
  queues.push(name);
  return name;
}

/** The marketplace's signature of a body: `sha256=<hex>`. */
export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The tests' adapter: HMAC-signed JSON `{ type: 'order' | 'cancel' | other, data }`. */
export const acmeAdapter: WebhookAdapter = {
  verify: verifyHmacSignature({ secret: SECRET, header: SIGNATURE_HEADER, prefix: 'sha256=' }),
  parse: (rawBody) => {
    const event = JSON.parse(rawBody) as { type: string; data: never };
    if (event.type === 'order') return { kind: 'order', data: event.data };
    if (event.type === 'cancel') return { kind: 'cancel', data: event.data };
    return null;
  },
};

/** A signed POST of `body` (an object is sent as JSON). */
export function webhookRequest(body: unknown, init: { signature?: string; method?: string } = {}): Request {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Request('http://localhost/webhooks/acme', {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: init.signature ?? sign(text) },
    ...(init.method === 'GET' ? {} : { body: text }),
  });
}

/** A handler on the test Redis (a fresh queue unless one is given), closed after the test. */
export function testHandler(options: Partial<WebhookHandlerOptions> = {}): WebhookHandler {
  const handler = createWebhookHandler({
    connection: { url: redisUrl as string },
    channelId: 'acme-1',
    adapter: acmeAdapter,
    // The test Redis persists nothing; the persistence check has its own tests.
    allowVolatileRedis: true,
    ...options,
    queueName: options.queueName ?? queueName(),
  });
  closers.push(() => handler.close());
  return handler;
}

/** A worker on the test Redis, closed after the test. */
export function testWorker(
  options: Partial<WebhookWorkerOptions> & Pick<WebhookWorkerOptions, 'service' | 'queueName'>,
): WebhookWorker {
  const worker = createWebhookWorker({ connection: { url: redisUrl as string }, ...options });
  closers.push(() => worker.close());
  return worker;
}

/** Waits until `condition` holds, polling; fails after `timeout` ms. */
export async function until(condition: () => boolean | Promise<boolean>, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
