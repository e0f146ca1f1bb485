/**
 * Durable webhook intake: a Fetch API handler that authenticates a marketplace's order and cancellation
 * webhooks, validates them and stores each as a BullMQ job (Redis) before answering 202, and a worker
 * that imports the jobs' orders a chunk at a time (`createOrders`) and runs `createCancel` for each
 * cancellation, exactly once per event. Needs `bullmq` installed
 * next to `channel-app-sdk`.
 *
 * @packageDocumentation
 * @module channel-app-sdk/webhooks
 */

export type {
  WebhookAdapter,
  WebhookCancelEvent,
  WebhookEvent,
  WebhookOrderEvent,
  WebhookVerifier,
} from './adapter.js';
export type { WebhookErrorBody } from './answers.js';
export type { WebhookConnection, WebhookRedisUrl } from './connection.js';
export { DEFAULT_WEBHOOK_QUEUE } from './defaults.js';
export { createWebhookHandler, type WebhookHandler } from './handler.js';
export type { WebhookHandlerOptions, WebhookRejection } from './handler-options.js';
export { type HmacSignatureOptions, verifyHmacSignature } from './hmac.js';
export type { WebhookJobChannel, WebhookJobData } from './webhook-job.js';
export { createWebhookWorker, type WebhookJobItem, type WebhookJobResult, WebhookWorker } from './worker.js';
export type {
  WebhookFailure,
  WebhookRunner,
  WebhookRunOptions,
  WebhookWorkerOptions,
} from './worker-options.js';
