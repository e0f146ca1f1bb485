import type { Queue } from 'bullmq';
import { FlowScheduler } from 'channel-app-sdk/scheduler';
import { createWebhookHandler } from 'channel-app-sdk/webhooks';
import { describe, expect, it } from 'vitest';
import { boardQueues, mountBullBoard } from './board.js';

const redisUrl = process.env.REDIS_URL;

/*
 * Bull Board itself is not installed here: the test hands `mountBullBoard` recording stand-ins shaped as
 * `createBullBoard`, `BullMQAdapter` and a server adapter, and checks which queues, with which options,
 * reach them. The real packages take the same calls (`@bull-board/api` 9).
 */
describe.skipIf(!redisUrl)('the Bull Board example', () => {
  it('puts the scheduler’s and the intake’s queues on the board, read-only, under /admin/queues', async () => {
    const scheduler = new FlowScheduler({
      connection: { url: redisUrl as string },
      queueName: 'board-flows',
    });
    const webhooks = createWebhookHandler({
      connection: { url: redisUrl as string },
      queueName: 'board-webhooks',
      channelId: 'acme-1',
      adapter: { verify: () => true, parse: () => null },
      allowVolatileRedis: true,
    });
    expect(() => boardQueues({ scheduler })).toThrow(/start the scheduler first/);
    await scheduler.start({ worker: false });
    try {
      const adapters: { queue: Queue; options: unknown }[] = [];
      const boards: unknown[] = [];
      const paths: string[] = [];
      class BullMQAdapter {
        constructor(queue: Queue, options?: unknown) {
          adapters.push({ queue, options });
        }
      }
      const serverAdapter = { setBasePath: (path: string) => paths.push(path) };
      const served = mountBullBoard(
        { createBullBoard: (board) => boards.push(board), BullMQAdapter, serverAdapter },
        boardQueues({ scheduler, webhooks }),
      );
      expect(served).toBe(serverAdapter);
      expect(paths).toEqual(['/admin/queues']);
      expect(adapters.map((a) => a.queue.name)).toEqual(['board-flows', 'board-webhooks']);
      expect(adapters.map((a) => a.options)).toEqual([
        { readOnlyMode: true, description: 'scheduled channel flows' },
        { readOnlyMode: true, description: 'webhook orders and cancels' },
      ]);
      expect(boards).toHaveLength(1);
      expect(boards[0]).toMatchObject({
        serverAdapter,
        queues: [expect.any(BullMQAdapter), expect.any(BullMQAdapter)],
      });
    } finally {
      await scheduler.stop();
      await webhooks.close();
    }
  });
});
