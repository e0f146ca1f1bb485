import { afterEach, describe, expect, it } from 'vitest';
import { type FlowResult, OmnitronRestIntegration, OrderService } from '../../src/index.js';
import {
  allSucceeded,
  buildCancelOrder,
  buildChannelOrder,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import {
  faultsInjected,
  faultyOmnitron,
  injectFaults,
  RELIABILITY_ORDERS,
  RELIABILITY_SEED,
} from './fault-mix.js';

const ORDERS = Math.max(20, Math.floor(RELIABILITY_ORDERS / 3));
const half = Math.floor(ORDERS / 2);
const SEED = RELIABILITY_SEED;

let server: MockOmnitronServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs a flow until a run ends without throwing and with nothing failed; returns how many runs it took. */
async function untilDone(
  flow: () => Promise<FlowResult>,
  done: (result: FlowResult) => boolean = (r) => r.counts.failed === 0 && r.reports.failedToSend === 0,
): Promise<number> {
  for (let runs = 1; runs <= 25; runs += 1) {
    const result = await flow().catch(() => undefined);
    if (result && done(result)) return runs;
  }
  throw new Error('still not done after 25 runs');
}

describe('updates, cancels and item updates under faults', () => {
  it(`delivers every update and applies every cancel exactly once and every line change while 10% of requests fail (seed ${SEED})`, async () => {
    const faulty = await faultyOmnitron();
    server = faulty.server;
    const { omnitron } = faulty;
    const orders = Array.from({ length: ORDERS }, (_, i) =>
      buildChannelOrder({
        items: [{ remoteId: `UP-${i}`, product: 'PROD-1', price: '5', taxRate: '20', quantity: 2 }],
      }),
    );
    let asyncPolls = 0;
    const channel = new ScriptedChannel({
      orders,
      sendUpdatedOrders: ({ orders: sent, isSync }) =>
        isSync
          ? { status: 'done', results: allSucceeded(sent) }
          : { status: 'sent_to_remote', remoteBatchId: `JOB-${sent.length}-${Date.now()}` },
      checkOrders: ({ orders: sent }) =>
        ++asyncPolls % 2 ? { status: 'ongoing' } : { status: 'done', results: allSucceeded(sent) },
    });
    const service = new OrderService({ omnitron, channel, staleBatchAfter: 0 });
    const store = server.store;
    // The set-up import is not under test: it goes through a client with the default timeout. The faulty
    // client's 300 ms timeout is a fault of its own when the machine is busy (the mock server shares this
    // process), which made a single set-up run miss an order now and then.
    const patient = new OmnitronRestIntegration({ baseUrl: server.url, ...server.credentials, channelId: 1 });
    const setup = await new OrderService({
      omnitron: patient,
      channel,
      staleBatchAfter: 0,
    }).fetchAndCreateOrder();
    expect(setup.counts.failed).toBe(0);
    expect(store.orders.size).toBe(ORDERS);

    injectFaults(server);
    const runs: Record<string, number> = {};

    // Synchronous updates: every changed order is sent and recorded.
    for (const order of store.orders.values()) store.touchOrder(order.id, { status: '450' });
    runs.syncUpdates = await untilDone(
      () => service.updateOrders({ isSync: true, limit: 1000 }),
      (r) => r.counts.failed === 0 && store.listOrdersAwaitingUpdate().length === 0,
    );
    // Asynchronous updates: sent, then polled to done.
    for (const order of store.orders.values()) store.touchOrder(order.id, { status: '500' });
    runs.asyncUpdates = await untilDone(
      async () => {
        const sent = await service.updateOrders({ isSync: false, limit: 1000 });
        await service.getOrderBatchRequests();
        return sent;
      },
      () =>
        store.listOrdersAwaitingUpdate().length === 0 &&
        [...store.batchRequests.values()].every((b) => !['sent_to_remote', 'ongoing'].includes(b.status)),
    );
    // Cancels of half the orders, one line each.
    channel.script.cancelledOrders = orders.slice(0, half).map((o) => buildCancelOrder(o));
    runs.cancels = await untilDone(() => service.fetchAndCreateCancel());
    // Tracking numbers for the other half.
    channel.script.updatedOrderItems = orders
      .slice(ORDERS / 2)
      .map((o) => ({ remoteId: o.items[0]?.remoteId, trackingNumber: `TRK-${o.remoteId}` }));
    runs.itemUpdates = await untilDone(() => service.fetchAndUpdateOrderItems());
    server.faults.clear();

    const injected = faultsInjected(server);
    console.log(
      `reliability (updates): orders=${ORDERS} faultsInjected=${injected} runs=${JSON.stringify(runs)} seed=${SEED}`,
    );
    expect(injected).toBeGreaterThan(10);
    // Each cancelled order was cancelled once, all its units; the others keep their units.
    for (const [index, order] of orders.entries()) {
      const stored = store.findOrderByNumber(order.number);
      const items = store.listOrderItems(stored?.id ?? 0);
      const cancels = store.cancellations.filter((c) => c.orderId === stored?.id);
      if (index < half) {
        expect(cancels, order.number).toHaveLength(1);
        expect(items.every((i) => i.status === '100')).toBe(true);
      } else {
        expect(cancels).toHaveLength(0);
        expect(
          items.every((i) => i.trackingNumber === `TRK-${order.remoteId}`),
          order.number,
        ).toBe(true);
      }
    }
    expect(store.listOrdersAwaitingUpdate().filter((o) => o.status !== '100')).toEqual([]);
    expect(
      [...store.batchRequests.values()].filter((b) =>
        ['commit', 'sent_to_remote', 'ongoing'].includes(b.status),
      ),
    ).toEqual([]);
  }, 120_000);
});
