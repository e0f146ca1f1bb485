/**
 * One soak worker process: a FlowScheduler running all seven scheduled flows and a webhook worker running
 * `createOrder` and `createCancel`, both on the soak's Redis, against the mock Omnitron (REST) and the
 * soak's marketplace (HTTP). The soak SIGKILLs it at random and starts another. Settings as JSON in
 * argv[2] (see `WorkerSettings`); warnings and errors go to stderr, one line each.
 */
import { Redis } from 'ioredis';
import { type Logger, OmnitronRestIntegration, OrderService } from '../src/index.js';
import { createWebhookWorker } from '../src/intake/index.js';
import { FlowScheduler, RedisKeyedLock } from '../src/scheduler/index.js';
import { SoakMarketplaceChannel } from './marketplace-channel.js';
import type { WorkerSettings } from './worker-settings.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;
const line = (level: string) => (fields: Record<string, unknown>, message: string) =>
  process.stderr.write(`${level} ${message} ${JSON.stringify(fields).slice(0, 600)}\n`);
const quiet = () => undefined;
const logger: Logger = { debug: quiet, info: quiet, warn: line('warn'), error: line('error') };

const omnitron = new OmnitronRestIntegration({
  baseUrl: settings.omnitronUrl,
  username: settings.username,
  password: settings.password,
  channelId: 1,
  timeout: settings.timeout,
  pageSize: settings.pageSize,
  retry: { limit: 2, baseDelay: 50, backoffLimit: 500 },
  // The adapter's own warnings (a filter switched off, a list Omnitron will not page) join the workers'.
  logger,
});
const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 3 });
const service = new OrderService({
  omnitron,
  channel: new SoakMarketplaceChannel(settings.marketplaceUrl),
  logger,
  staleBatchAfter: settings.staleBatchAfter,
  commitLockWait: 20_000,
  // Several processes run this channel's flows at once: the order, customer and address locks live in Redis.
  lock: new RedisKeyedLock(redis, { prefix: settings.lockPrefix, ttl: 5000 }),
});

const every = settings.every;
const scheduler = new FlowScheduler({
  connection: { url: settings.redisUrl },
  queueName: settings.queueName,
  lockTtl: settings.lockTtl,
  backoffDelay: 200,
  reconcileInterval: 2000,
  logger,
});
scheduler.register({
  id: 'soak',
  service: () => service,
  flows: {
    fetchAndCreateOrder: { every },
    updateOrders: { every, options: { isSync: false } },
    getOrderBatchRequests: { every },
    fetchAndCreateCancel: { every: every + 300 },
    fetchAndUpdateOrderItems: { every: every + 500 },
    fetchAndCreateCancellationRequests: { every: every + 700 },
    updateCancellationRequests: { every },
  },
});
const webhooks = createWebhookWorker({
  connection: { url: settings.redisUrl },
  queueName: settings.webhookQueue,
  service,
  logger,
  // Short, so a killed worker's webhook job is taken back within seconds.
  lockDuration: 2000,
  stalledInterval: 1000,
});

await scheduler.start();
await webhooks.worker.waitUntilReady();
process.send?.('ready');

// A graceful stop at the end of the soak: running flows finish, connections close.
process.once('SIGTERM', () => {
  void Promise.allSettled([scheduler.stop(), webhooks.close()])
    .then(() => redis.quit())
    .finally(() => process.exit(0));
});

// The soak's process died without stopping us (its global deadline, a crash): do not outlive it.
process.once('disconnect', () => process.exit(0));
