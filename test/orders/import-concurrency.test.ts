import { describe, expect, it, vi } from 'vitest';
import type { ChannelOrderInput, FlowResult } from '../../src/index.js';
import { buildChannelOrder, type OmnitronStore } from '../../src/testing/index.js';
import { forEachBackend, mockRestOmnitron } from '../support.js';

/** Forty orders from five customers, some bad in each way, one reusing another's number. */
function mixedOrders(): ChannelOrderInput[] {
  const orders = Array.from({ length: 40 }, (_, i) => {
    const email = `shared${i % 5}@example.com`;
    if (i % 9 === 3) return buildChannelOrder({ customer: { email }, cargoCompany: 'NOPE' });
    if (i % 11 === 5)
      return buildChannelOrder({ customer: { email }, shippingAddress: { city: 'Atlantis' } });
    if (i % 13 === 7)
      return { ...buildChannelOrder({ customer: { email } }), amount: 1 } as unknown as ChannelOrderInput;
    return buildChannelOrder({
      customer: { email },
      items: [
        {
          remoteId: `L${i}`,
          product: `PROD-${(i % 5) + 1}`,
          price: '10',
          taxRate: '20',
          quantity: (i % 3) + 1,
        },
      ],
    });
  });
  const first = orders[0] as ChannelOrderInput;
  orders[20] = { ...(orders[20] as ChannelOrderInput), number: first.number };
  return orders;
}

/** What must not depend on timing: outcomes in order, counts, Omnitron's orders, reports without run ids. */
function fingerprint(result: FlowResult, store: OmnitronStore) {
  const batchIds = new Set(result.batchRequests.map((b) => b.localBatchId));
  const strip = (text: string) => [...batchIds].reduce((t, id) => t.split(id).join('<batch>'), text);
  return {
    items: result.items.map((i) => [i.key, i.status, i.error?.code]),
    counts: result.counts,
    orders: [...store.orders.values()]
      .map((o) => [o.number, o.extraField.id, store.listOrderItems(o.id).length])
      .sort(),
    customers: store.customers.size,
    addresses: store.addresses.size,
    reports: store.errorReports.map((r) => [strip(r.errorCode), r.isOk, r.actionContentType]).sort(),
    addressReports: store.addressErrorReports.length,
    batches: result.batchRequests.map((b) => b.status),
  };
}

forEachBackend((setup) => {
  describe('order import concurrency', () => {
    it('gives the same outcomes, counts, orders and reports at concurrency 1 and 16', async () => {
      const orders = mixedOrders();
      const options = { batchSize: 7, commitEvery: 3, isSuccessLog: true };
      const one = await setup({ orders });
      const sixteen = await setup({ orders });
      const sequential = await one.service.fetchAndCreateOrder({ ...options, concurrency: 1 });
      const concurrent = await sixteen.service.fetchAndCreateOrder({ ...options, concurrency: 16 });

      expect(fingerprint(concurrent, sixteen.store)).toEqual(fingerprint(sequential, one.store));
      expect(sequential.counts.failed).toBeGreaterThan(5);
      expect(sequential.counts.created).toBeGreaterThan(25);
      // 40 orders in batches of 7: six batch requests, all done.
      expect(concurrent.batchRequests.map((b) => b.status)).toEqual(Array(6).fill('done'));
    });

    it('links and acknowledges every order across rotated batch requests, and creates nothing twice', async () => {
      const orders = Array.from({ length: 23 }, () => buildChannelOrder());
      const { service, store, channel } = await setup({ orders, acknowledges: false });
      const first = await service.fetchAndCreateOrder({ batchSize: 5, commitEvery: 2, concurrency: 8 });
      expect(first.counts.created).toBe(23);
      expect(first.batchRequests).toHaveLength(5);
      for (const order of orders) {
        const [link] = store.listIntegrationActions({ contentType: 'order', remoteIds: [order.remoteId] });
        expect(link?.objectId, order.number).toBe(store.findOrderByNumber(order.number)?.id);
      }
      const again = await service.fetchAndCreateOrder({ batchSize: 5, concurrency: 8 });
      expect(again.counts).toMatchObject({ created: 0, skipped: 23 });
      expect(store.orders.size).toBe(23);
      expect(channel.acknowledged).toEqual([]);
    });

    it('makes one batch request per chunk of orders, none empty when the last chunk fills its batch', async () => {
      for (const count of [10, 12]) {
        const orders = Array.from({ length: count }, () => buildChannelOrder());
        const { service, store } = await setup({ orders });
        const result = await service.fetchAndCreateOrder({ batchSize: 5, concurrency: 4 });
        expect(result.counts.created).toBe(count);
        const made = [...store.batchRequests.values()];
        // 10 orders: two full batches and no third, empty one; 12: two full ones and one of two orders.
        expect(made, `${count} orders`).toHaveLength(Math.ceil(count / 5));
        expect(made.map((b) => b.status)).toEqual(made.map(() => 'done'));
        expect(result.batchRequests.map((b) => b.id)).toEqual(made.map((b) => b.id));
      }
    });

    it('reports a failure that comes right after a full batch under a batch of its own, closed fail', async () => {
      const orders = Array.from({ length: 7 }, () => buildChannelOrder());
      const { service, store } = await setup({ orders, failOrdersAfter: 5 });
      const error = await service.fetchAndCreateOrder({ batchSize: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const [full, failed] = [...store.batchRequests.values()];
      expect([full?.status, failed?.status]).toEqual(['done', 'fail']);
      const reports = store.errorReports.filter((r) => !r.isOk);
      expect(reports.map((r) => r.errorCode.startsWith(failed?.localBatchId ?? '?'))).toEqual([true]);
    });

    it("acknowledges each batch request's orders once it is done", async () => {
      const orders = Array.from({ length: 12 }, () => buildChannelOrder());
      const { service, channel } = await setup({ orders });
      const result = await service.fetchAndCreateOrder({ batchSize: 5, concurrency: 4 });
      expect(result.acknowledged).toBe(12);
      expect(channel.acknowledged.map((a) => a.remoteId)).toEqual(orders.map((o) => o.remoteId));
    });

    it('keeps only failed outcomes when asked, with complete counts', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder({ cargoCompany: 'NOPE' }), buildChannelOrder()];
      const { service } = await setup({ orders });
      const result = await service.fetchAndCreateOrder({ keepOutcomes: 'failures' });
      expect(result.items.map((i) => i.status)).toEqual(['failed']);
      expect(result.counts).toMatchObject({ fetched: 3, created: 2, failed: 1 });
      expect(result.itemsOverLimit).toBeUndefined();
    });

    it('keeps at most maxOutcomes outcomes and says how many it left out', async () => {
      const orders = [
        buildChannelOrder({ cargoCompany: 'NOPE' }),
        buildChannelOrder(),
        buildChannelOrder({ cargoCompany: 'NOPE' }),
        buildChannelOrder({ cargoCompany: 'NOPE' }),
      ];
      const { service } = await setup({ orders });
      const result = await service.fetchAndCreateOrder({ keepOutcomes: 'failures', maxOutcomes: 2 });
      expect(result.items.map((i) => [i.key, i.status])).toEqual([
        [orders[0]?.number, 'failed'],
        [orders[2]?.number, 'failed'],
      ]);
      expect(result.itemsOverLimit).toBe(1);
      expect(result.counts).toMatchObject({ fetched: 4, created: 1, failed: 3 });
    });
  });
});

describe('a customer shared by concurrent orders', () => {
  it('is created once', async () => {
    const { InMemoryOmnitron, ScriptedChannel } = await import('../../src/testing/index.js');
    const { OrderService } = await import('../../src/index.js');
    const omnitron = new InMemoryOmnitron();
    const orders = Array.from({ length: 10 }, () =>
      buildChannelOrder({ customer: { email: 'same@example.com' } }),
    );
    await new OrderService({ omnitron, channel: new ScriptedChannel({ orders }) }).fetchAndCreateOrder({
      concurrency: 10,
    });
    expect(omnitron.store.customers.size).toBe(1);
    expect(omnitron.store.addresses.size).toBe(1);
    expect(omnitron.callCount('getOrCreateCustomer')).toBe(1);
  });
});

describe('products shared by concurrent orders', () => {
  it('are looked up once per run: an id asked for is waited for, not asked again', async () => {
    const { ScriptedChannel } = await import('../../src/testing/index.js');
    const { OrderService } = await import('../../src/index.js');
    // Over HTTP, so the orders really overlap while a look-up is on its way.
    const { omnitron } = await mockRestOmnitron();
    const lookUps = vi.spyOn(omnitron, 'getProductIds');
    // Thirty orders over five SKUs, sixteen at a time: most orders start before the first answer is in.
    const orders = Array.from({ length: 30 }, (_, i) =>
      buildChannelOrder({
        items: [{ remoteId: `P${i}`, product: `PROD-${(i % 5) + 1}`, price: '10', taxRate: '20' }],
      }),
    );
    const result = await new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders }),
    }).fetchAndCreateOrder({ concurrency: 16 });
    expect(result.counts.created).toBe(30);
    const asked = lookUps.mock.calls.flatMap(([ids]) => [...ids]);
    expect(asked.sort()).toEqual(['PROD-1', 'PROD-2', 'PROD-3', 'PROD-4', 'PROD-5']);
  });
});
