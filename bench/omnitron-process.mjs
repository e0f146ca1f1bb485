// @ts-check
/**
 * The benchmark's Omnitron: the mock server in its own process, so the flow process's CPU and memory
 * figures are the SDK's alone. It reports its URL on start, and on request: its request count, a seeding of
 * imported orders (done in-process, not over HTTP, and not measured), marking every order changed, and a
 * seeding of one approved cancellation request per order.
 */
import { OrderService } from '../dist/index.js';
import {
  createMockOmnitronServer,
  DEFAULT_SEED,
  InMemoryOmnitron,
  ScriptedChannel,
} from '../dist/testing.js';
import { generatedCancellationRequest, generatedOrder, seedLists } from './generated-data.mjs';

const lists = seedLists(DEFAULT_SEED);

const latency = Number(process.env.BENCH_LATENCY ?? 10);
const server = await createMockOmnitronServer({ latency });
// Creates left unanswered (`--unanswered`): never answered and never applied, so a look-up finds nothing.
const unanswered = Number(process.env.BENCH_UNANSWERED ?? 0);
if (unanswered > 0)
  server.inject({
    match: /^POST \/api\/v1\/channel\/\d+\/(customers|addresses|create_orders)\/$/,
    kind: 'timeout',
    rate: unanswered,
  });
// Keep the request log short: a long run would otherwise measure the log's memory.
const drain = () => server.requests.splice(0, server.requests.length).length;
let requests = 0;
setInterval(() => {
  requests += drain();
}, 1000).unref();

/** @param {{ type: string, orders?: number, customers?: number, status?: string }} message */
async function handle(message) {
  const store = server.store;
  if (message.type === 'stats') {
    requests += drain();
    return { requests, orders: store.orders.size, batches: store.batchRequests.size };
  }
  if (message.type === 'seed') {
    const count = message.orders ?? 0;
    const customers = message.customers ?? 1;
    const orders = Array.from({ length: count }, (_, i) => generatedOrder(i, i % customers, lists));
    const service = new OrderService({
      omnitron: new InMemoryOmnitron({ store }),
      channel: new ScriptedChannel({ orders }),
    });
    const result = await service.fetchAndCreateOrder({ keepOutcomes: 'failures' });
    return { created: result.counts.created, failed: result.counts.failed };
  }
  if (message.type === 'touch') {
    for (const order of store.orders.values())
      store.touchOrder(order.id, { status: message.status ?? '450' });
    return { touched: store.orders.size };
  }
  if (message.type === 'seed-requests') {
    const count = message.orders ?? 0;
    const service = new OrderService({
      omnitron: new InMemoryOmnitron({ store }),
      channel: new ScriptedChannel({
        cancellationRequests: Array.from({ length: count }, (_, i) => generatedCancellationRequest(i)),
      }),
    });
    const result = await service.fetchAndCreateCancellationRequests({ keepOutcomes: 'failures' });
    // Approved in Omnitron: each is then a change to send to the marketplace.
    for (const request of store.listCancellationRequests())
      store.setCancellationRequestStatus(request.id, 'approved');
    return { created: result.counts.created, failed: result.counts.failed };
  }
  if (message.type === 'stop') {
    await server.close();
    process.exit(0);
  }
  throw new Error(`unknown message ${message.type}`);
}

process.on('message', (/** @type {any} */ message) => {
  handle(message).then(
    (answer) => process.send?.({ type: message.type, ...answer }),
    (error) => process.send?.({ type: message.type, error: String(error) }),
  );
});
process.send?.({
  type: 'ready',
  url: server.url,
  credentials: server.credentials,
  channelId: server.store.channelId,
  lists,
});
