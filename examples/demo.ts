/**
 * `npm run demo`: every order flow end to end. The demo marketplace (examples/demo-marketplace) runs on
 * 127.0.0.1; Omnitron is the mock Omnitron server, unless OMNITRON_URL, OMNITRON_USERNAME,
 * OMNITRON_PASSWORD and OMNITRON_CHANNEL_ID (and optionally OMNITRON_CATALOG_ID) point at a real one.
 * Three demo orders are bad on purpose, so the summary shows how failures are reported.
 */
import { type FlowResult, type ItemOutcome, OmnitronRestIntegration, OrderService } from 'channel-app-sdk';
import { createMockOmnitronServer, type MockOmnitronServer } from 'channel-app-sdk/testing';
import { BAD_DEMO_ORDERS, demoMarketplaceData, prepareDemoOmnitron } from './demo-marketplace/demo-data.js';
import { DemoMarketplaceChannel } from './demo-marketplace/demo-marketplace-channel.js';
import { startDemoMarketplace } from './demo-marketplace/marketplace-server.js';

const apiKey = 'demo-marketplace-key-4f1c';
const real = process.env.OMNITRON_URL;
let mock: MockOmnitronServer | undefined;
if (!real) {
  mock = await createMockOmnitronServer({ latency: 2 });
  prepareDemoOmnitron(mock.store);
}
const omnitron = new OmnitronRestIntegration(
  mock
    ? { baseUrl: mock.url, ...mock.credentials, channelId: mock.store.channelId }
    : {
        baseUrl: real as string,
        username: process.env.OMNITRON_USERNAME as string,
        password: process.env.OMNITRON_PASSWORD as string,
        channelId: process.env.OMNITRON_CHANNEL_ID as string,
        ...(process.env.OMNITRON_CATALOG_ID ? { catalogId: process.env.OMNITRON_CATALOG_ID } : {}),
      },
);
const marketplace = await startDemoMarketplace({ apiKey, ...demoMarketplaceData() });
const service = new OrderService({
  omnitron,
  channel: new DemoMarketplaceChannel({ baseUrl: marketplace.url, apiKey }),
  secrets: [apiKey],
  isSuccessLog: true,
});

console.log(`Omnitron: ${mock ? `mock server at ${mock.url}` : real}`);
console.log(
  `Marketplace: demo marketplace at ${marketplace.url}, ${demoMarketplaceData().orders?.length} new orders, 3 bad on purpose:`,
);
for (const [id, why] of Object.entries(BAD_DEMO_ORDERS)) console.log(`  ${id} ${why}`);
console.log('');

const results: { label: string; result: FlowResult }[] = [];
const live = process.stdout.isTTY;

/** Runs a flow with a progress line that updates as items finish. */
async function run(
  label: string,
  flow: (onItem: (outcome: ItemOutcome) => void) => Promise<FlowResult>,
): Promise<void> {
  const tally: Record<string, number> = {};
  const line = (mark: string) =>
    `${mark} ${label.padEnd(40)} ${
      Object.entries(tally)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ') || 'nothing to do'
    }`;
  if (live) process.stdout.write(line('…'));
  const result = await flow((outcome) => {
    tally[outcome.status] = (tally[outcome.status] ?? 0) + 1;
    if (live) process.stdout.write(`\r${line('…')}`);
  });
  process.stdout.write(`${live ? '\r' : ''}${line(result.items.some((i) => i.error) ? '!' : '✓')}\n`);
  results.push({ label, result });
}

await run('Import new orders', (onItem) => service.fetchAndCreateOrder({ onItem }));
if (mock) for (const order of mock.store.orders.values()) mock.store.touchOrder(order.id, { status: '500' });
await run('Push order updates (asynchronous)', (onItem) => service.updateOrders({ isSync: false, onItem }));
await run('Poll the marketplace job', (onItem) => service.getOrderBatchRequests({ onItem }));
await run('Poll the marketplace job again', (onItem) => service.getOrderBatchRequests({ onItem }));
await run('Import cancellations', (onItem) => service.fetchAndCreateCancel({ onItem }));
await run('Import order line updates', (onItem) => service.fetchAndUpdateOrderItems({ onItem }));
await run('Import cancellation requests', (onItem) => service.fetchAndCreateCancellationRequests({ onItem }));
if (mock)
  for (const request of mock.store.cancellationRequests.values())
    mock.store.setCancellationRequestStatus(request.id, 'approved');
await run('Push cancellation request decisions', (onItem) => service.updateCancellationRequests({ onItem }));

console.log('\nSummary');
console.table(
  results.map(({ label, result }) => ({
    flow: label,
    'batch request': result.batchRequests.map((b) => b.id).join(', ') || '-',
    status: result.batchRequests.map((b) => b.status).join(', ') || '-',
    fetched: result.counts.fetched,
    created: result.counts.created,
    updated: result.counts.updated,
    skipped: result.counts.skipped,
    failed: result.counts.failed,
  })),
);
const failed = results.flatMap(({ label, result }) =>
  result.items
    .filter((i) => i.error)
    .map((i) => ({ flow: label, item: i.key, error: i.error?.code, reason: i.error?.message })),
);
console.log('Failed items (each is also an error report in Sales Channel Logs)');
console.table(failed);
if (mock) {
  const reports = mock.store.errorReports;
  console.log(
    `Error reports written: ${reports.length} (${reports.filter((r) => !r.isOk).length} failures); address-mapping reports: ${mock.store.addressErrorReports.length}; HTTP requests to Omnitron: ${mock.requests.length}`,
  );
}
await marketplace.close();
await mock?.close();
