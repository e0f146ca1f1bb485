import { randomUUID } from 'node:crypto';
import { buildChannelOrder } from 'channel-app-sdk/testing';
import { describe, expect, it } from 'vitest';
import { signBody, startWebhookServer } from './node-http.js';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('the node:http webhook example', () => {
  it('stores a signed order over real HTTP, answers 202, and the worker creates it; a bad signature is 401', async () => {
    const secret = 'example-secret-1234';
    const running = await startWebhookServer({
      redisUrl: redisUrl as string,
      secret,
      queueName: `example-${randomUUID()}`,
      allowVolatileRedis: true, // the test Redis persists nothing
    });
    try {
      const order = buildChannelOrder();
      const body = JSON.stringify({ type: 'order.created', payload: order });
      const post = (signature: string) =>
        fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-acme-signature': signature },
          body,
        });
      expect((await post(signBody(body, 'wrong-secret'))).status).toBe(401);
      const accepted = await post(signBody(body, secret));
      expect(accepted.status).toBe(202);
      const started = Date.now();
      while (running.omnitron.store.orders.size < 1 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 25));
      expect([...running.omnitron.store.orders.values()].map((o) => o.number)).toEqual([order.number]);
    } finally {
      await running.handler.queue.obliterate({ force: true });
      await running.stop();
    }
  });
});
