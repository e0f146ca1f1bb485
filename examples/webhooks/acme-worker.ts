/** The webhook guide's worker (docs/webhooks.md shows the lines between the region marks). */
import type { Logger, OrderService } from 'channel-app-sdk';
import { createWebhookWorker, type WebhookWorker } from 'channel-app-sdk/webhooks';

/** The worker that turns the jobs of the queue `channel-app-webhooks` into `service`'s orders and cancels. */
export function acmeWebhookWorker({
  redisUrl,
  service,
  logger,
}: {
  redisUrl: string;
  service: OrderService;
  logger: Logger;
}): WebhookWorker {
  // #region worker
  const worker = createWebhookWorker({
    connection: { url: redisUrl },
    service, // the channel's OrderService
    logger,
  });
  // #endregion
  return worker;
}
