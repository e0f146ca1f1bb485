/**
 * `npm run demo`: every order flow end to end. The demo marketplace (examples/demo-marketplace) runs on
 * 127.0.0.1; Omnitron is the mock Omnitron server, unless OMNITRON_URL, OMNITRON_USERNAME,
 * OMNITRON_PASSWORD and OMNITRON_CHANNEL_ID (and optionally OMNITRON_CATALOG_ID) point at a real one.
 * Three demo orders are bad on purpose, so the summary shows how failures are reported.
 */
import {
  type FlowResult,
  type ItemOutcome,
  type ItemStatus,
  OmnitronRestIntegration,
  OrderService,
} from 'channel-app-sdk';
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
  `Marketplace: demo marketplace at ${marketplace.url}, ${demoMarketplaceData().orders?.length} new orders, ${BAD_DEMO_ORDERS.length} bad on purpose:`,
);
for (const bad of BAD_DEMO_ORDERS)
  console.log(`  order ${bad.orderNumber} (marketplace id ${bad.marketplaceId}) ${bad.why}`);
console.log('');

const results: { label: string; result: FlowResult; tally: Record<string, number> }[] = [];
const live = process.stdout.isTTY;

/** Runs a flow with a progress line that updates as items finish; the line counts items by `ItemOutcome.status`. */
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
  results.push({ label, result, tally });
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

// FlowCounts.skipped lumps together every outcome that leaves nothing more to do now (sent, ongoing,
// already present, unchanged), so the skipped cell names the outcomes behind it: "6 sent" stays "sent".
const SKIPPED: readonly ItemStatus[] = ['sent', 'ongoing', 'already_present', 'unchanged'];
const skippedCell = (tally: Record<string, number>, skipped: number): number | string => {
  const behind = Object.entries(tally)
    .filter(([status]) => SKIPPED.includes(status as ItemStatus))
    .map(([status, n]) => `${n} ${status}`);
  // The outcomes add up to the count, so they replace it: "6 sent", "3 sent, 2 unchanged".
  return behind.length ? behind.join(', ') : skipped;
};
console.log('\nSummary (the columns are FlowResult.counts)');
console.table(
  results.map(({ label, result, tally }) => ({
    flow: label,
    'batch request': result.batchRequests.map((b) => b.id).join(', ') || '-',
    status: result.batchRequests.map((b) => b.status).join(', ') || '-',
    fetched: result.counts.fetched,
    created: result.counts.created,
    updated: result.counts.updated,
    skipped: skippedCell(tally, result.counts.skipped),
    failed: result.counts.failed,
  })),
);
console.log(
  '  fetched: items read from the marketplace or from Omnitron (for a poll: the batch requests polled)',
);
console.log(
  '  skipped: nothing more to do now: sent (the marketplace answers later), ongoing, already present or unchanged',
);

// Flow results key orders by order number and cancellations by the marketplace's order id; the demo's
// orders give the other id, so each failure shows both.
const demoOrders = demoMarketplaceData().orders ?? [];
const ids = (key: string) => {
  const order = demoOrders.find((o) => o.orderNumber === key || o.id === key);
  return { 'order number': order?.orderNumber ?? '(unknown order)', 'marketplace id': order?.id ?? key };
};
const failed = results.flatMap(({ label, result }) =>
  result.items
    .filter((i) => i.error)
    .map((i) => ({ flow: label, ...ids(i.key), error: i.error?.code, reason: i.error?.message })),
);
console.log('\nFailed items (each is also an error report in Sales Channel Logs)');
console.table(failed);

if (mock) {
  // The store tells Sales Channel Logs rows from address-mapping reports; FlowResult.reports counts both.
  const reports = mock.store.errorReports;
  const failures = reports.filter((r) => !r.isOk).length;
  console.log(
    `Error reports written: ${reports.length} (${failures} about failures, ${reports.length - failures} about successful steps, as isSuccessLog is on)`,
  );
  console.log(
    "  one row per step in Omnitron's Sales Channel Logs, where the merchant reads why an item failed",
  );
  const places = mock.store.addressErrorReports.map((r) => `${r.type} "${r.name}"`).join(', ');
  console.log(
    `Address-mapping reports: ${mock.store.addressErrorReports.length}${places ? ` (${places})` : ''}`,
  );
  console.log(
    '  locations Omnitron could not resolve, listed in its address mapping screen; once mapped, the next import picks the order up',
  );
  console.log(`HTTP requests to Omnitron: ${mock.requests.length}`);
} else {
  const sent = results.reduce((n, { result }) => n + result.reports.sent, 0);
  console.log(`Reports sent to Omnitron: ${sent}`);
  console.log(
    '  rows of Sales Channel Logs, where the merchant reads why an item failed, and address-mapping reports',
  );
}
await marketplace.close();
await mock?.close();
