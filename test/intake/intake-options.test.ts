import { describe, expect, it } from 'vitest';
import { resolveHandlerOptions } from '../../src/intake/handler-options.js';
import { resolveWorkerOptions } from '../../src/intake/worker-options.js';

// No Redis needed: options are resolved before any connection is opened.

const connection = { url: 'redis://:redis-pass-7f3a@127.0.0.1:6379/0' };
const adapter = { verify: () => true, parse: () => null };
const service = { createOrders: async () => ({}) as never, createCancel: async () => ({}) as never };

describe('the resolved webhook handler settings', () => {
  it('fill in every documented default', () => {
    const settings = resolveHandlerOptions({ connection, channelId: 'acme-1', adapter });
    expect(settings).toMatchObject({
      queueName: 'channel-app-webhooks',
      maxBodyBytes: 1024 * 1024,
      bodyTimeout: 10_000,
      redisTimeout: 5000,
      dedupWindow: 24 * 60 * 60_000,
      keepFailedFor: 7 * 24 * 60 * 60_000,
      attempts: 10,
      backoffDelay: 10_000,
      allowVolatileRedis: false,
      onRejected: undefined,
    });
    // A producer: commands fail at once while Redis is down, so a call is answered 503 instead of waiting.
    expect(settings.connection).toMatchObject({ enableOfflineQueue: false, host: '127.0.0.1' });
  });

  it('keep what was given and strip the Redis password', () => {
    const settings = resolveHandlerOptions({
      connection,
      channelId: 'acme-1',
      adapter,
      queueName: 'hooks-b',
      attempts: 2,
      allowVolatileRedis: true,
    });
    expect(settings).toMatchObject({ queueName: 'hooks-b', attempts: 2, allowVolatileRedis: true });
    expect(settings.redactor.redactText('pass redis-pass-7f3a')).not.toContain('redis-pass-7f3a');
  });
});

describe('the resolved webhook worker settings', () => {
  it('fill in every documented default', () => {
    const settings = resolveWorkerOptions({ connection, service });
    expect(settings).toMatchObject({
      queueName: 'channel-app-webhooks',
      concurrency: 100,
      cancelConcurrency: 4,
      chunkSize: 50,
      chunkWindow: 500,
      chunksInFlight: 6,
      staleSweepInterval: 60_000,
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 3,
      limiter: undefined,
      name: undefined,
    });
    // A worker: commands wait for Redis, as BullMQ's blocking commands require.
    expect(settings.connection).toMatchObject({ maxRetriesPerRequest: null, host: '127.0.0.1' });
  });

  it('keep what was given and strip the given secrets and the Redis password', () => {
    const settings = resolveWorkerOptions({
      connection,
      service,
      chunkSize: 10,
      chunkWindow: 0,
      secrets: ['mk-api-key-91'],
    });
    expect(settings).toMatchObject({ chunkSize: 10, chunkWindow: 0 });
    expect(settings.redactor.redactText('redis-pass-7f3a mk-api-key-91')).not.toMatch(
      /redis-pass-7f3a|mk-api-key-91/,
    );
  });
});
