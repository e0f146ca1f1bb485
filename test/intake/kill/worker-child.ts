/**
 * One webhook worker in its own process, for the kill test: it runs the webhook queue's jobs against the
 * test's mock Omnitron through the REST adapter, and tells the test (over IPC) when it took a job, so the
 * test can SIGKILL it mid-job. Configured by environment variables: REDIS_URL, QUEUE, OMNITRON_URL,
 * OMNITRON_USERNAME, OMNITRON_PASSWORD.
 */
import { ChannelIntegration, OmnitronRestIntegration, OrderService } from '../../../src/index.js';
import { createWebhookWorker } from '../../../src/intake/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** Webhooks bring the orders: the adapter's own feed is empty. */
class WebhookOnlyChannel extends ChannelIntegration {
  override async *getOrders() {}
  override async sendUpdatedOrders() {
    return { status: 'done' as const, results: [] };
  }
}

const omnitron = new OmnitronRestIntegration({
  baseUrl: env('OMNITRON_URL'),
  username: env('OMNITRON_USERNAME'),
  password: env('OMNITRON_PASSWORD'),
  channelId: 1,
});
const service = new OrderService({ omnitron, channel: new WebhookOnlyChannel(), staleBatchAfter: 0 });
const worker = createWebhookWorker({
  connection: { url: env('REDIS_URL') },
  queueName: env('QUEUE'),
  service,
  // Short, so the test's next worker takes a dead one's job back within seconds rather than 30 s.
  lockDuration: 2000,
  stalledInterval: 500,
});
worker.worker.on('active', (job) => process.send?.({ active: job.id }));
worker.worker.on('completed', (job) => process.send?.({ completed: job.id }));
await worker.worker.waitUntilReady();
process.send?.('ready');
