import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelAppError, VolatileRedisError } from '../../src/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';
import { capturingLogger } from '../support.js';
import { redisUrl, testHandler, webhookRequest } from './intake-support.js';

// These tests change the persistence settings of the test Redis (which runs without any) and put them
// back; the other intake tests pass allowVolatileRedis, so they are not affected while this file runs.
describe.skipIf(!redisUrl)('the webhook handler checks that Redis keeps what it stores', () => {
  let admin: Redis;
  let original: { save: string; appendonly: string; policy: string };
  const get = async (name: string) => ((await admin.config('GET', name)) as string[])[1] ?? '';

  beforeAll(async () => {
    admin = new Redis(redisUrl as string);
    original = {
      save: await get('save'),
      appendonly: await get('appendonly'),
      policy: await get('maxmemory-policy'),
    };
    expect(original.appendonly).toBe('no');
  });
  afterAll(async () => {
    await admin.config('SET', 'save', original.save);
    await admin.config('SET', 'maxmemory-policy', original.policy);
    await admin.quit();
  });

  it('refuses a Redis without persistence: ready() rejects with VolatileRedisError and calls get 503', async () => {
    await admin.config('SET', 'save', '');
    const logs: string[] = [];
    const handler = testHandler({ allowVolatileRedis: false, logger: capturingLogger(logs) });
    const refused = await handler.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(VolatileRedisError);
    expect(refused).toBeInstanceOf(ChannelAppError);
    expect((refused as VolatileRedisError).code).toBe('VOLATILE_REDIS');
    expect((refused as Error).message).toContain('appendonly');
    const response = await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }));
    expect(response.status).toBe(503);
    expect(await handler.queue.getJobCountByTypes('waiting', 'completed', 'active', 'delayed')).toBe(0);
    expect(logs.some((l) => l.startsWith('error') && l.includes('appendonly'))).toBe(true);
  });

  it('refuses a persistent Redis that evicts keys (maxmemory-policy other than noeviction)', async () => {
    await admin.config('SET', 'save', '3600 1');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const handler = testHandler({ allowVolatileRedis: false });
      const refused = await handler.ready().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(VolatileRedisError);
      expect((refused as Error).message).toContain('allkeys-lru');
    } finally {
      await admin.config('SET', 'maxmemory-policy', original.policy);
      await admin.config('SET', 'save', original.save);
    }
  });

  it('accepts a Redis with RDB snapshots and noeviction, logging what it found at info', async () => {
    await admin.config('SET', 'save', '3600 1');
    try {
      const logs: string[] = [];
      const handler = testHandler({ allowVolatileRedis: false, logger: capturingLogger(logs) });
      await handler.ready();
      const response = await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }));
      expect(response.status).toBe(202);
      expect(logs.some((l) => l.startsWith('info') && l.includes('"save":"3600 1"'))).toBe(true);
    } finally {
      await admin.config('SET', 'save', original.save);
    }
  });

  it('accepts a volatile Redis with allowVolatileRedis, warning about it', async () => {
    const logs: string[] = [];
    const handler = testHandler({ allowVolatileRedis: true, logger: capturingLogger(logs) });
    await handler.ready();
    expect((await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))).status).toBe(202);
    expect(logs.some((l) => l.startsWith('warn') && l.includes('allowVolatileRedis'))).toBe(true);
  });

  it('warns and goes on when CONFIG is refused (as managed Redis often does)', async () => {
    const user = `intake-no-config-${randomUUID()}`;
    await admin.call('ACL', 'SETUSER', user, 'on', '>pw-no-config', '~*', '&*', '+@all', '-config');
    try {
      const logs: string[] = [];
      const url = new URL(redisUrl as string);
      url.username = user;
      url.password = 'pw-no-config';
      const handler = testHandler({
        connection: { url: url.toString() },
        allowVolatileRedis: false,
        logger: capturingLogger(logs),
      });
      await handler.ready();
      expect((await handler(webhookRequest({ type: 'order', data: buildChannelOrder() }))).status).toBe(202);
      expect(logs.some((l) => l.startsWith('warn') && l.includes('CONFIG'))).toBe(true);
      for (const line of logs) expect(line).not.toContain('pw-no-config');
      // Before the user goes: deleting it drops its connections, and a dropped one cannot QUIT.
      await handler.close();
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });
});
