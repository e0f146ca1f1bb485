import { describe, expect, it } from 'vitest';
import { OrderService } from '../../src/index.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
import { capturingLogger, mockRestOmnitron } from '../support.js';

// A create whose answer is lost or late is parked, the rest of its chunk goes on, and it is looked up
// again before the chunk commits, after `parkTime` (three settle times by default).
const TIMEOUT = 500;
const CREATE_ORDERS = /^POST \/api\/v1\/channel\/\d+\/create_orders\/$/;
const CUSTOMERS = /^POST \/api\/v1\/channel\/\d+\/customers\/$/;

async function setup(orders: number) {
  const logs: string[] = [];
  const { server, omnitron } = await mockRestOmnitron({ timeout: TIMEOUT, logger: capturingLogger(logs) });
  const all = Array.from({ length: orders }, (_, i) =>
    buildChannelOrder({ customer: { email: `parked${i}@example.com` } }),
  );
  const channel = new ScriptedChannel({ orders: all });
  const service = new OrderService({ omnitron, channel, logger: capturingLogger(logs) });
  return { server, service, all, logs };
}

describe('creates whose fate is unknown are parked, not waited for in place', () => {
  it('creates each customer once when every customer create takes three times the timeout', async () => {
    const { server, service, all } = await setup(20);
    // Applied after 1.5 s, long after the client gave up at 0.5 s and after one settle time more.
    server.inject({ match: CUSTOMERS, kind: 'slow', delay: 3 * TIMEOUT });

    const result = await service.fetchAndCreateOrder({ concurrency: 8 });

    expect(server.faults.injected.slow).toBeGreaterThanOrEqual(all.length);
    expect(server.store.customers.size).toBe(all.length);
    expect(server.store.orders.size).toBe(all.length);
    expect(result.counts).toMatchObject({ created: all.length, failed: 0 });
    expect(result.batchRequest?.status).toBe('done');
  }, 60_000);

  it('goes on with the rest of the chunk while a create that got no answer settles', async () => {
    const { server, service, all, logs } = await setup(12);
    const [first] = all;
    if (!first) throw new Error('no order');
    // The first order's create is never answered; the client's timeout fires and a look-up finds nothing.
    server.inject({ match: CREATE_ORDERS, kind: 'timeout', times: 1 });

    const result = await service.fetchAndCreateOrder({ concurrency: 1 });

    expect(server.store.orders.size).toBe(all.length);
    expect(result.counts).toMatchObject({ created: all.length, failed: 0 });
    // With one slot, an order waiting in place would hold back every later create; parked, it is looked
    // up again only after all of them were sent.
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    const urls = server.requests.map((r) => `${r.method} ${r.path}${r.query}`);
    // The first order's create that timed out, the other orders' creates, then the first one's again.
    const creates = paths.flatMap((p, i) => (CREATE_ORDERS.test(p) ? [i] : []));
    expect(creates).toHaveLength(all.length + 1);
    const lastOtherCreate = creates[all.length - 1] ?? Number.POSITIVE_INFINITY;
    const lookUps = urls
      .map((p, i) => [p, i] as const)
      .filter(([p]) => p.startsWith('GET ') && p.includes('/orders/') && p.includes(first.number));
    expect(lookUps.at(-1)?.[1]).toBeGreaterThan(lastOtherCreate);
    expect(logs.some((l) => l.includes('order parked'))).toBe(true);
  }, 60_000);

  it('keeps the number locked while a create may still land: a webhook import of the same order waits, then finds it', async () => {
    const { server, service, all } = await setup(1);
    const [order] = all;
    if (!order) throw new Error('no order');
    server.inject({ match: CREATE_ORDERS, kind: 'slow', delay: 2 * TIMEOUT, times: 1 });

    const scheduled = service.fetchAndCreateOrder();
    // The webhook arrives once the scheduled run's create has timed out and been parked.
    await new Promise((resolve) => setTimeout(resolve, 1.5 * TIMEOUT));
    const webhook = await service.createOrder(order);
    const imported = await scheduled;

    expect(server.store.orders.size).toBe(1);
    // Neither run fails for nothing on a refused second create: the later holder of the number found it.
    expect([...imported.items, ...webhook.items].map((i) => i.status)).not.toContain('failed');
    expect(server.requests.filter((r) => CREATE_ORDERS.test(`${r.method} ${r.path}`))).toHaveLength(1);
  }, 60_000);
});

describe('an address endpoint slower than the timeout', () => {
  it('creates the order in the same run and each address once: the parked retry finds the address', async () => {
    const { server, service, all } = await setup(4);
    server.inject({ match: /^POST \/api\/v1\/channel\/\d+\/addresses\/$/, kind: 'slow', delay: 2 * TIMEOUT });

    const result = await service.fetchAndCreateOrder({ concurrency: 4 });

    expect(result.counts).toMatchObject({ created: all.length, failed: 0 });
    // One address per order (shipped and billed alike): each POSTed once, found by the retry's look-up.
    expect(server.store.addresses.size).toBe(all.length);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/addresses/'))).toHaveLength(
      all.length,
    );
  }, 60_000);
});
