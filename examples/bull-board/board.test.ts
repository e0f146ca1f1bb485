import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlowScheduler } from 'channel-app-sdk/scheduler';
import { createWebhookHandler } from 'channel-app-sdk/webhooks';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { guide, region } from '../guide-regions.js';
import { mountBullBoard, scheduledQueue } from './board.js';

const redisUrl = process.env.REDIS_URL;

/** What Bull Board's `GET /api/queues` says of a queue (the fields this test reads). */
interface BoardQueueInfo {
  name: string;
  readOnlyMode: boolean;
  description?: string;
  counts: Record<string, number>;
}

describe.skipIf(!redisUrl)('the Bull Board example, on real Bull Board, Express and Redis', () => {
  it('shows the scheduler’s and the intake’s queues, read-only, under /admin/queues, to operators only', async () => {
    const suffix = randomUUID();
    const scheduler = new FlowScheduler({
      connection: { url: redisUrl as string },
      queueName: `board-flows-${suffix}`,
    });
    const handle = createWebhookHandler({
      connection: { url: redisUrl as string },
      queueName: `board-webhooks-${suffix}`,
      channelId: 'acme-1',
      adapter: { verify: () => true, parse: () => null },
      allowVolatileRedis: true, // the test Redis persists nothing
    });
    expect(() => scheduledQueue(scheduler)).toThrow(/start the scheduler first/);
    await scheduler.start({ worker: false });
    let server: Server | undefined;
    try {
      await handle.queue.add('order', { probe: true } as never, { jobId: 'probe-1' });
      const app = express();
      mountBullBoard(app, {
        scheduler,
        handle,
        requireOperator: (req, res, next) => {
          if (req.headers['x-operator'] === 'yes') next();
          else res.status(401).end();
        },
      });
      server = createServer(app);
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/queues`;

      expect((await fetch(`${base}/api/queues`)).status).toBe(401);
      const answer = await fetch(`${base}/api/queues`, { headers: { 'x-operator': 'yes' } });
      expect(answer.status).toBe(200);
      const { queues } = (await answer.json()) as { queues: BoardQueueInfo[] };
      expect(queues.map((q) => [q.name, q.readOnlyMode, q.description]).sort()).toEqual([
        [`board-flows-${suffix}`, true, 'scheduled channel flows'],
        [`board-webhooks-${suffix}`, true, 'webhook orders and cancels'],
      ]);
      expect(queues.find((q) => q.name === `board-webhooks-${suffix}`)?.counts.waiting).toBe(1);
      // The UI itself is served there too.
      const page = await fetch(base, { headers: { 'x-operator': 'yes' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Channel app');
    } finally {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await handle.queue.obliterate({ force: true });
      scheduledQueue(scheduler)
        .obliterate({ force: true })
        .catch(() => {});
      await scheduler.stop();
      await handle.close();
    }
  });

  it('the production guide shows the board’s code as it is', () => {
    expect(guide('docs/running-in-production.md')).toContain(
      region(new URL('./board.ts', import.meta.url), 'board')
        .split('\n')
        .map((line) => (line ? `  ${line}` : line))
        .join('\n'),
    );
  });
});
