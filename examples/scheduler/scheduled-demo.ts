import { type Logger, OmnitronRestIntegration, OrderService } from 'channel-app-sdk';
import { FlowScheduler } from 'channel-app-sdk/scheduler';
import { createMockOmnitronServer } from 'channel-app-sdk/testing';
import { demoMarketplaceData, prepareDemoOmnitron } from '../demo-marketplace/demo-data.js';
import { DemoMarketplaceChannel } from '../demo-marketplace/demo-marketplace-channel.js';
import { startDemoMarketplace } from '../demo-marketplace/marketplace-server.js';

/**
 * The demo marketplace's flows on a schedule: orders every 5 s, updates and their polling every 10 s,
 * cancellations and line updates every 15 s. Start it in several processes with the same Redis: each run
 * still happens once at a time.
 */
export async function startScheduledDemo(options: { redisUrl: string; logger?: Logger }) {
  const apiKey = 'demo-marketplace-key-4f1c';
  const omnitronServer = await createMockOmnitronServer();
  prepareDemoOmnitron(omnitronServer.store);
  const marketplace = await startDemoMarketplace({ apiKey, ...demoMarketplaceData() });

  const scheduler = new FlowScheduler({
    connection: { url: options.redisUrl },
    queueName: 'channel-app-demo',
    ...(options.logger ? { logger: options.logger } : {}),
    onFailed: ({ channelId, flow, error }) =>
      console.error(`${channelId} ${flow} failed for good: ${error.message}`),
  });
  scheduler.register({
    id: 'demo-marketplace',
    // Built once per worker, on its first job.
    service: () =>
      new OrderService({
        omnitron: new OmnitronRestIntegration({
          baseUrl: omnitronServer.url,
          ...omnitronServer.credentials,
          channelId: omnitronServer.store.channelId,
        }),
        channel: new DemoMarketplaceChannel({ baseUrl: marketplace.url, apiKey }),
        secrets: [apiKey],
        ...(options.logger ? { logger: options.logger } : {}),
      }),
    flows: {
      fetchAndCreateOrder: { every: 5_000 },
      updateOrders: { every: 10_000, options: { isSync: false } },
      getOrderBatchRequests: { every: 10_000 },
      fetchAndCreateCancel: { every: 15_000 },
      fetchAndUpdateOrderItems: { every: 15_000 },
    },
  });
  await scheduler.start();
  return {
    scheduler,
    omnitron: omnitronServer,
    stop: async () => {
      await scheduler.stop();
      await marketplace.close();
      await omnitronServer.close();
    },
  };
}
