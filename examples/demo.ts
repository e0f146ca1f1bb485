/**
 * `npm run demo`: every order flow end to end, on embedded defaults: an in-memory Omnitron and a scripted
 * marketplace. Some orders are bad on purpose (unknown city, unknown cargo company, malformed) so the
 * summary shows how failures are reported.
 */
import { type FlowResult, OrderService } from 'channel-app-sdk';
import {
  allSucceeded,
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelOrder,
  buildOrderItemUpdate,
  InMemoryOmnitron,
  ScriptedChannel,
} from 'channel-app-sdk/testing';

const good = [
  buildChannelOrder(),
  buildChannelOrder(),
  buildChannelOrder({
    items: [{ remoteId: 'L-9', product: 'PROD-3', price: '45.00', taxRate: '20', quantity: 2 }],
  }),
];
const bad = [
  buildChannelOrder({ shippingAddress: { city: 'Atlantis' }, billingAddress: { city: 'Atlantis' } }),
  buildChannelOrder({ cargoCompany: 'CARRIER-PIGEON' }),
  { ...buildChannelOrder(), amount: 99.9 },
];
let polls = 0;
const channel = new ScriptedChannel({
  orders: [...good, ...bad],
  sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
  checkOrders: ({ orders }) =>
    ++polls < 2 ? { status: 'ongoing' } : { status: 'done', results: allSucceeded(orders) },
});
const omnitron = new InMemoryOmnitron();
const service = new OrderService({ omnitron, channel, isSuccessLog: true });
const [first, second, third] = good as [
  ReturnType<typeof buildChannelOrder>,
  ReturnType<typeof buildChannelOrder>,
  ReturnType<typeof buildChannelOrder>,
];

const results: FlowResult[] = [];
async function run(label: string, flow: () => Promise<FlowResult>): Promise<void> {
  process.stdout.write(`▸ ${label.padEnd(40)}`);
  const result = await flow();
  results.push(result);
  const { fetched, created, updated, skipped, failed } = result.counts;
  process.stdout.write(
    `fetched ${fetched}, created ${created}, updated ${updated}, skipped ${skipped}, failed ${failed}\n`,
  );
}

await run('fetchAndCreateOrder', () => service.fetchAndCreateOrder());
for (const order of omnitron.store.orders.values()) omnitron.store.touchOrder(order.id, { status: '450' });
await run('updateOrders (async)', () => service.updateOrders({ isSync: false }));
await run('getOrderBatchRequests (still ongoing)', () => service.getOrderBatchRequests());
await run('getOrderBatchRequests (done)', () => service.getOrderBatchRequests());
channel.script.cancelledOrders = [buildCancelOrder(first), { order: 'NEVER-IMPORTED', cancelItems: ['X'] }];
await run('fetchAndCreateCancel', () => service.fetchAndCreateCancel());
channel.script.updatedOrderItems = [buildOrderItemUpdate(second, { trackingNumber: 'TRK-42' })];
await run('fetchAndUpdateOrderItems', () => service.fetchAndUpdateOrderItems());
channel.script.cancellationRequests = [
  buildCancellationRequest(second, { reason: 'DAMAGED', cancellationType: 'refund' }),
  buildCancellationRequest(third, { reason: 'DAMAGED' }),
];
await run('fetchAndCreateCancellationRequests', () => service.fetchAndCreateCancellationRequests());
for (const request of omnitron.store.cancellationRequests.values())
  omnitron.store.setCancellationRequestStatus(request.id, 'approved');
await run('updateCancellationRequests', () => service.updateCancellationRequests());

console.log('\nSummary');
console.table(
  results.map((r) => ({
    flow: r.flow,
    'batch request': r.batchRequests.map((b) => b.id).join(', ') || '-',
    status: r.batchRequests.map((b) => b.status).join(', ') || '-',
    ...r.counts,
  })),
);
const failures = results.flatMap((r) =>
  r.items
    .filter((i) => i.error)
    .map((i) => ({ flow: r.flow, item: i.key, code: i.error?.code, reason: i.error?.message })),
);
console.log('\nFailed items (each also written to Sales Channel Logs as an error report)');
console.table(failures);
console.log(
  `\nError reports in Omnitron: ${omnitron.store.errorReports.length} (${omnitron.store.errorReports.filter((r) => !r.isOk).length} failures); address-mapping reports: ${omnitron.store.addressErrorReports.length}`,
);
