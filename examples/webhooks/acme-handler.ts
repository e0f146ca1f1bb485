/** The webhook guide's handler (docs/webhooks.md shows the lines between the region marks). */
import type { Logger } from 'channel-app-sdk';
import { createWebhookHandler, type WebhookHandler, type WebhookRejection } from 'channel-app-sdk/webhooks';
import { acmeWebhooks } from './acme-adapter.js';

/** Acme's webhook handler on the queue `channel-app-webhooks`, refusing a Redis that could lose events. */
export function acmeWebhookHandler({
  redisUrl,
  webhookSecret,
  logger,
  reportInvalidWebhook,
}: {
  redisUrl: string;
  webhookSecret: string;
  logger: Logger;
  reportInvalidWebhook: (rejection: WebhookRejection) => void;
}): WebhookHandler {
  // #region handler
  const handle = createWebhookHandler({
    connection: { url: redisUrl }, // or BullMQ (ioredis) connection options
    channelId: 'acme-1', // names this channel's jobs and picks the worker's service
    adapter: acmeWebhooks(webhookSecret),
    logger, // pino or anything with debug/info/warn/error
    secrets: [webhookSecret], // never in an answer or a log line
    onRejected: (rejection) => reportInvalidWebhook(rejection), // see "Invalid data"
  });
  // #endregion
  return handle;
}
