import { afterEach, describe, expect, it } from 'vitest';
import { type ChannelOrderInput, OrderService } from '../../src/index.js';
import {
  buildCancellationRequest,
  buildChannelOrder,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { capturingLogger } from '../support.js';
import { FAULTS, faultsInjected, faultyOmnitron, RELIABILITY_ORDERS, RELIABILITY_SEED } from './fault-mix.js';

// 300 orders from 50 customers at the default size; RELIABILITY_ORDERS scales both.
const ORDERS = RELIABILITY_ORDERS * 2;
const CUSTOMERS = Math.max(1, Math.round(ORDERS / 6));
const MAX_RUNS = 40;
/** The client gives up after 300 ms (fault-mix); slow creates are applied after 450 ms all the same. */
const SLOW_CREATE_MS = 450;

let server: MockOmnitronServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function orders(): ChannelOrderInput[] {
  return Array.from({ length: ORDERS }, (_, i) =>
    buildChannelOrder({
      customer: { email: `nodup${i % CUSTOMERS}@example.com` },
      // Two addresses per customer, so address look-ups repeat across orders too.
      shippingAddress: { line: `Street ${i % CUSTOMERS} no ${i % 2}` },
      billingAddress: { line: `Street ${i % CUSTOMERS} no ${i % 2}` },
      items: [{ remoteId: `ND-${i}-1`, product: `PROD-${(i % 5) + 1}`, price: '10', taxRate: '20' }],
    }),
  );
}

/** How many keys occur more than once. */
function duplicates(keys: readonly (string | null | undefined)[]): number {
  const seen = new Map<string, number>();
  for (const key of keys) seen.set(String(key), (seen.get(String(key)) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length;
}

describe('nothing created twice at 30% faults with creates slower than the client timeout', () => {
  it(`imports ${ORDERS} orders of ${CUSTOMERS} customers and their cancellation requests once (seed ${RELIABILITY_SEED})`, async () => {
    const logs: string[] = [];
    const faulty = await faultyOmnitron({ logger: capturingLogger(logs) });
    server = faulty.server;
    const all = orders();
    const channel = new ScriptedChannel({ orders: all });
    const service = new OrderService({
      omnitron: faulty.omnitron,
      channel,
      logger: capturingLogger(logs),
      staleBatchAfter: 0,
    });
    // 30%: slow creates first (10% of POSTs), then the 10% mix of fault-mix.ts at three times its rates.
    server.inject({ match: /^POST /, kind: 'slow', delay: SLOW_CREATE_MS, rate: 0.1 });
    for (const fault of FAULTS)
      server.inject({ match: /^(GET|POST|PATCH) /, ...fault, rate: fault.rate * 3 });

    let runs = 0;
    let failedRuns = 0;
    const failed = () => {
      failedRuns += 1;
    };
    for (; runs < MAX_RUNS && channel.acknowledged.length < all.length; runs += 1) {
      await service.fetchAndCreateOrder({ concurrency: 8, batchSize: 60, commitEvery: 10 }).catch(failed);
    }
    // A cancellation request for every tenth order.
    channel.script.cancellationRequests = all
      .filter((_, i) => i % 10 === 0)
      .map((order) => buildCancellationRequest(order, { reason: 'DAMAGED' }));
    const wanted = channel.script.cancellationRequests.length;
    for (let i = 0; i < MAX_RUNS && server.store.cancellationRequests.size < wanted; i += 1) {
      runs += 1;
      await service.fetchAndCreateCancellationRequests().catch(failed);
    }
    const injected = faultsInjected(server);
    server.faults.clear();
    // One clean run: closes batches stopped runs left open, and must find nothing to create.
    const last = await service.fetchAndCreateOrder();

    const store = server.store;
    const batchPosts = server.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/batch_requests/'),
    );
    // Batch creates whose answer never arrived or could not be used: the only source of unused batches.
    const batchAnswersLost = batchPosts.filter((r) =>
      ['lost-response', 'slow', 'malformed'].includes(r.fault ?? ''),
    ).length;
    const unusedBatches = [...store.batchRequests.values()].filter(
      (b) => b.status === 'fail' && b.objects === null && b.contentType === null,
    ).length;
    const counts = {
      orders: duplicates([...store.orders.values()].map((o) => o.number)),
      customers: duplicates([...store.customers.values()].map((c) => c.email?.toLowerCase())),
      addresses: duplicates([...store.addresses.values()].map((a) => a.hashData)),
      cancellationRequests: duplicates([...store.cancellationRequests.values()].map((r) => r.remoteId)),
    };
    console.log(
      `no-duplicates: orders=${ORDERS} customers=${CUSTOMERS} runs=${runs} faultsInjected=${injected} ` +
        `slow=${server.faults.injected.slow} duplicates=${JSON.stringify(counts)} batchPosts=${batchPosts.length} ` +
        `batchAnswersLost=${batchAnswersLost} failedRuns=${failedRuns} unusedBatches=${unusedBatches} seed=${RELIABILITY_SEED}`,
    );

    expect(counts).toEqual({ orders: 0, customers: 0, addresses: 0, cancellationRequests: 0 });
    expect(store.orders.size).toBe(ORDERS);
    expect(store.customers.size).toBe(CUSTOMERS);
    expect(store.cancellationRequests.size).toBe(wanted);
    expect(last.counts.created).toBe(0);
    // A batch create answered with a 2xx is never sent again. An unused batch comes from a create whose
    // answer was lost or unusable (the run then fails or sends it again), or from a run that failed before
    // its first commit (cancellation requests commit a chunk at a time) and closed its own batch as fail;
    // never from two 2xx sends.
    expect(unusedBatches).toBeLessThanOrEqual(batchAnswersLost + failedRuns);
    // None is left open: stale `initialized` and `commit` batches are closed.
    expect(
      [...store.batchRequests.values()].filter((b) => !['done', 'fail'].includes(b.status)).map((b) => b.id),
    ).toEqual([]);
    expect(server.faults.injected.slow).toBeGreaterThan(0);
  }, 300_000);
});
