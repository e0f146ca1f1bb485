/**
 * Bull Board (a web UI for BullMQ queues) on the scheduler's and the webhook intake's queues. Bull Board is
 * not a dependency of the SDK: install `@bull-board/api` and a server adapter (`@bull-board/express`,
 * `@bull-board/fastify`, `@bull-board/hono`…) and hand their parts to {@link mountBullBoard}, as
 * docs/running-in-production.md shows:
 *
 * ```ts
 * import { createBullBoard } from '@bull-board/api';
 * import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
 * import { ExpressAdapter } from '@bull-board/express';
 *
 * const serverAdapter = new ExpressAdapter();
 * mountBullBoard({ createBullBoard, BullMQAdapter, serverAdapter }, boardQueues({ scheduler, webhooks: handle }));
 * app.use('/admin/queues', requireOperator, serverAdapter.getRouter());
 * ```
 */
import type { Queue } from 'bullmq';
import type { FlowScheduler } from 'channel-app-sdk/scheduler';
import type { WebhookHandler } from 'channel-app-sdk/webhooks';

/** The parts of Bull Board the board needs: `createBullBoard`, `BullMQAdapter` and a server adapter. */
export interface BullBoardParts<QueueAdapter, ServerAdapter extends { setBasePath(path: string): unknown }> {
  createBullBoard(options: {
    queues: QueueAdapter[];
    serverAdapter: ServerAdapter;
    options?: { uiConfig?: { boardTitle?: string } };
  }): unknown;
  BullMQAdapter: new (
    queue: Queue,
    options?: { readOnlyMode?: boolean; description?: string },
  ) => QueueAdapter;
  serverAdapter: ServerAdapter;
}

/** A queue to show, with what the board says of it. */
export interface BoardQueue {
  queue: Queue;
  description: string;
}

/**
 * The queues an operator wants on the board: the scheduler's (started, so its queue exists; one started
 * with `{ worker: false }` serves) and the webhook handler's.
 */
export function boardQueues(parts: { scheduler?: FlowScheduler; webhooks?: WebhookHandler }): BoardQueue[] {
  const queues: BoardQueue[] = [];
  const scheduled = parts.scheduler?.queue;
  if (parts.scheduler && !scheduled) throw new Error('boardQueues: start the scheduler first');
  if (scheduled) queues.push({ queue: scheduled as Queue, description: 'scheduled channel flows' });
  if (parts.webhooks)
    queues.push({ queue: parts.webhooks.queue as Queue, description: 'webhook orders and cancels' });
  return queues;
}

/**
 * Puts the queues on a Bull Board served under `basePath`. Read-only unless `readOnly: false`: the board
 * then lets whoever reaches it retry, promote and remove jobs (a removed webhook job is a lost order), so
 * serve it only behind your operators' authentication.
 */
export function mountBullBoard<QueueAdapter, ServerAdapter extends { setBasePath(path: string): unknown }>(
  parts: BullBoardParts<QueueAdapter, ServerAdapter>,
  queues: readonly BoardQueue[],
  options: { basePath?: string; readOnly?: boolean; title?: string } = {},
): ServerAdapter {
  parts.serverAdapter.setBasePath(options.basePath ?? '/admin/queues');
  parts.createBullBoard({
    queues: queues.map(
      ({ queue, description }) =>
        new parts.BullMQAdapter(queue, { readOnlyMode: options.readOnly ?? true, description }),
    ),
    serverAdapter: parts.serverAdapter,
    options: { uiConfig: { boardTitle: options.title ?? 'Channel app' } },
  });
  return parts.serverAdapter;
}
