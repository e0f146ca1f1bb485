import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChannelOrder } from '../../src/testing/index.js';
import { capturingLogger, ownRedisServer } from '../support.js';
import { redisUrl, testHandler, until, webhookRequest } from './intake-support.js';

/*
 * What the intake answers while the Redis it stores jobs in is stopped: never 202 (nothing was kept), a
 * 503 that makes the marketplace retry. Its own redis-server (OUTAGE_REDIS_PORT, default 6401), stopped
 * and started again by the test.
 */
const {
  url,
  start: startRedis,
  stop: stopRedis,
  ping,
} = ownRedisServer(Number(process.env.OUTAGE_REDIS_PORT ?? 6401));

describe.skipIf(!redisUrl)('the webhook intake during a Redis outage (own redis-server)', () => {
  beforeAll(async () => {
    startRedis();
    await until(ping);
  });
  afterAll(() => {
    if (ping()) stopRedis();
  });

  it('answers every call 503 with Retry-After while Redis is down, none 202, and 202 again once it is back', async () => {
    const logs: string[] = [];
    const handler = testHandler({ connection: { url }, redisTimeout: 1000, logger: capturingLogger(logs) });
    await handler.ready();
    expect((await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))).status).toBe(202);

    stopRedis();
    await until(() => !ping());
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))),
    );
    const statuses: Record<number, number> = {};
    for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    console.log('answers during the outage', JSON.stringify(statuses));
    expect(statuses).toEqual({ 503: 50 });
    expect(answers.every((a) => a.headers.get('retry-after') === '5')).toBe(true);

    startRedis();
    await until(ping);
    await until(
      async () =>
        (await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))).status === 202,
    );
  });
});
