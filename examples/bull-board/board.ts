/**
 * Bull Board (a web UI for BullMQ queues) on the scheduler's and the webhook intake's queues, served by an
 * Express app. Bull Board is not a dependency of the SDK: install `@bull-board/api` and a server adapter
 * (`@bull-board/express` here; `@bull-board/fastify`, `@bull-board/hono`… take the same queues).
 * docs/running-in-production.md shows the lines between the region marks.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { FlowScheduler } from 'channel-app-sdk/scheduler';
import type { WebhookHandler } from 'channel-app-sdk/webhooks';
import type { Express, RequestHandler } from 'express';

/** The scheduler's queue, which exists once it started (one started with `{ worker: false }` serves). */
export function scheduledQueue(scheduler: FlowScheduler) {
  const queue = scheduler.queue;
  if (!queue) throw new Error('scheduledQueue: start the scheduler first');
  return queue;
}

/**
 * Serves the board under `/admin/queues` of `app`, behind `requireOperator` (your operators'
 * authentication). Read-only: a writable board (`readOnlyMode: false`) lets whoever reaches it retry,
 * promote and remove jobs, and a removed webhook job is a lost order.
 */
export function mountBullBoard(
  app: Express,
  {
    scheduler,
    handle,
    requireOperator,
  }: { scheduler: FlowScheduler; handle: WebhookHandler; requireOperator: RequestHandler },
): void {
  // #region board
  const serverAdapter = new ExpressAdapter().setBasePath('/admin/queues');
  createBullBoard({
    queues: [
      new BullMQAdapter(scheduledQueue(scheduler), {
        readOnlyMode: true,
        description: 'scheduled channel flows',
      }),
      new BullMQAdapter(handle.queue, { readOnlyMode: true, description: 'webhook orders and cancels' }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Channel app' } },
  });
  app.use('/admin/queues', requireOperator, serverAdapter.getRouter());
  // #endregion
}
