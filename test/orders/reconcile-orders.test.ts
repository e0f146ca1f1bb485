import { describe, expect, it } from 'vitest';
import {
  type ChannelOrderInput,
  FlowAbortedError,
  InvalidOptionsError,
  NotSupportedError,
  OrderMismatchError,
} from '../../src/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';
import { type Env, errorOf, failureReports, forEachBackend, type Setup } from '../support.js';

const DAY = 24 * 60 * 60_000;

/** Imports `orders` through the normal import, then lists them on the marketplace as `listed` says. */
async function imported(setup: Setup, orders: ChannelOrderInput[]): Promise<Env> {
  const env = await setup({ orders, listedOrders: orders.map((o) => structuredClone(o)) });
  const result = await env.service.fetchAndCreateOrder();
  expect(result.counts.created).toBe(orders.length);
  return env;
}

const storedOf = (env: Env, order: ChannelOrderInput) => {
  const stored = env.store.findOrderByNumber(order.number);
  if (!stored) throw new Error(`order ${order.number} is not in Omnitron`);
  return stored;
};

forEachBackend((setup, backend) => {
  describe('reconcileOrders', () => {
    it('finds orders alike on both sides and changes nothing', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder({ status: '400' })];
      const env = await imported(setup, orders);

      const result = await env.service.reconcileOrders();

      expect(result.flow).toBe('reconcileOrders');
      expect(result.reconciliation).toEqual({ checked: 2, imported: 0, statusResent: 0, unrepairable: 0 });
      expect(result.items.map((i) => [i.key, i.status])).toEqual(orders.map((o) => [o.number, 'unchanged']));
      expect(result.batchRequest?.status).toBe('done');
      expect(env.channel.sent).toHaveLength(0);
      expect(failureReports(env.store)).toEqual([]);
    });

    it('imports an order Omnitron lacks through the import path, links and acknowledges it, and never twice', async () => {
      const known = buildChannelOrder();
      const missing = buildChannelOrder();
      const env = await imported(setup, [known]);
      env.channel.script.listedOrders = [known, missing];

      const result = await env.service.reconcileOrders();

      expect(result.reconciliation).toEqual({ checked: 2, imported: 1, statusResent: 0, unrepairable: 0 });
      expect(result.items.map((i) => i.status)).toEqual(['unchanged', 'created']);
      const stored = storedOf(env, missing);
      const [link] = env.store.listIntegrationActions({
        contentType: 'order',
        remoteIds: [missing.remoteId],
      });
      expect(link?.objectId).toBe(stored.id);
      expect(env.channel.acknowledged.map((a) => a.remoteId)).toContain(missing.remoteId);

      // The normal import offered the same order meanwhile: it finds it, and so does the next reconcile.
      env.channel.script.orders = [missing];
      env.channel.acknowledged.length = 0;
      const again = await env.service.fetchAndCreateOrder();
      expect(again.items[0]?.status).toBe('already_present');
      const third = await env.service.reconcileOrders();
      expect(third.reconciliation.imported).toBe(0);
      expect([...env.store.orders.values()].filter((o) => o.number === missing.number)).toHaveLength(1);
    });

    it('sends again a status the marketplace never received, line cancels included', async () => {
      const shipped = buildChannelOrder({ status: '400' });
      const partlyCancelled = buildChannelOrder({
        items: [
          { remoteId: 'C1', product: 'PROD-1', price: '50.00', taxRate: '20', status: '400' },
          { remoteId: 'C2', product: 'PROD-2', price: '100.00', taxRate: '20', status: '400' },
        ],
      });
      const env = await imported(setup, [shipped, partlyCancelled]);
      // The merchant ships one order and cancels a line of the other in Omnitron; the marketplace, still
      // listing both as approved, never heard of it.
      env.store.touchOrder(storedOf(env, shipped).id, { status: '500' });
      const cancelled = env.store
        .listOrderItems(storedOf(env, partlyCancelled).id)
        .find((unit) => unit.extraField.id === 'C2');
      env.store.updateOrderItem(cancelled?.id ?? 0, { status: '100' });

      const result = await env.service.reconcileOrders();

      expect(result.reconciliation).toEqual({ checked: 2, imported: 0, statusResent: 2, unrepairable: 0 });
      expect(env.channel.sent).toHaveLength(1);
      expect(env.channel.sent[0]?.orders.map((o) => o.order.number)).toEqual([
        shipped.number,
        partlyCancelled.number,
      ]);
      expect(env.channel.sent[0]?.orders[1]?.items.map((i) => i.status).sort()).toEqual(['100', '400']);
      expect(result.items.map((i) => i.status)).toEqual(['updated', 'updated']);
      // The sends have a batch request of their own, as updateOrders' would be.
      expect(result.batchRequests).toHaveLength(2);
      expect(result.batchRequests.map((b) => b.status)).toEqual(['done', 'done']);
    });

    it('reports each difference it cannot repair, naming the order and what differs, and goes on', async () => {
      const otherAmount = buildChannelOrder({ amount: '150.00' });
      const cancelledThere = buildChannelOrder({
        items: [{ remoteId: 'M1', product: 'PROD-1', price: '150.00', taxRate: '20', quantity: 2 }],
      });
      const fine = buildChannelOrder();
      const env = await imported(setup, [otherAmount, cancelledThere, fine]);
      env.channel.script.listedOrders = [
        { ...otherAmount, amount: '175.50' },
        {
          ...cancelledThere,
          items: [
            { remoteId: 'M1', product: 'PROD-1', price: '150.00', taxRate: '20', quantity: 3, status: '100' },
          ],
        },
        fine,
      ];

      const result = await env.service.reconcileOrders();

      expect(result.reconciliation).toEqual({ checked: 3, imported: 0, statusResent: 0, unrepairable: 2 });
      expect(result.items.map((i) => i.status)).toEqual(['failed', 'failed', 'unchanged']);
      const amount = errorOf(result.items[0], OrderMismatchError);
      expect(amount.code).toBe('ORDER_MISMATCH');
      expect(amount.message).toContain(otherAmount.number);
      expect(amount.differences).toEqual(['amount: marketplace 175.50, Omnitron 150.00']);
      const lines = errorOf(result.items[1], OrderMismatchError);
      expect(lines.differences).toEqual([
        'line M1: quantity 3 on the marketplace, 2 in Omnitron',
        expect.stringMatching(
          /^line M1 \(2 of 2 units\): marketplace 100 \(cancelled\), Omnitron 400 \(approved\)/,
        ),
      ]);
      const reports = failureReports(env.store);
      expect(reports).toHaveLength(2);
      expect(reports[0]?.errorCode).toContain(`ReconcileOrder-${otherAmount.number}`);
      expect(reports[0]?.errorDescription).toContain('175.50');
      expect(env.channel.sent).toHaveLength(0);
    });

    it('fails an invalid listed order alone', async () => {
      const good = buildChannelOrder();
      const env = await imported(setup, [good]);
      env.channel.script.listedOrders = [{ ...buildChannelOrder(), amount: 12.5 }, good];

      const result = await env.service.reconcileOrders();

      expect(result.items.map((i) => i.status)).toEqual(['failed', 'unchanged']);
      expect(result.reconciliation.checked).toBe(1);
      expect(result.counts.fetched).toBe(2);
    });

    it('asks the marketplace for the last two days by default, or the window given', async () => {
      const { service, channel } = await setup({ listedOrders: [] });

      const before = Date.now();
      await service.reconcileOrders();
      const [first] = channel.listings;
      expect(first?.until.getTime()).toBeGreaterThanOrEqual(before);
      expect((first?.until.getTime() ?? 0) - (first?.since.getTime() ?? 0)).toBe(2 * DAY);

      await service.reconcileOrders({
        since: '2026-11-01T00:00:00Z',
        until: new Date('2026-11-02T00:00:00Z'),
      });
      expect(channel.listings[1]?.since.toISOString()).toBe('2026-11-01T00:00:00.000Z');
      expect(channel.listings[1]?.until.toISOString()).toBe('2026-11-02T00:00:00.000Z');

      await expect(
        service.reconcileOrders({ since: '2026-11-02T00:00:00Z', until: '2026-11-01T00:00:00Z' }),
      ).rejects.toBeInstanceOf(InvalidOptionsError);
      await expect(service.reconcileOrders({ lookBack: 0 })).rejects.toBeInstanceOf(InvalidOptionsError);
    });

    it('stops between two orders when aborted, closing its batch request as fail', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
      const env = await imported(setup, orders);
      const controller = new AbortController();

      const run = env.service.reconcileOrders({
        signal: controller.signal,
        onItem: () => controller.abort(),
      });

      await expect(run).rejects.toBeInstanceOf(FlowAbortedError);
      const batches = [...env.store.batchRequests.values()];
      expect(batches.at(-1)?.status).toBe('fail');
    });

    it('needs listOrders', async () => {
      const { service } = await setup({});
      await expect(service.reconcileOrders()).rejects.toBeInstanceOf(NotSupportedError);
    });

    if (backend === 'rest')
      it('reads Omnitron a chunk of 50 orders at a time', async () => {
        const orders = Array.from({ length: 120 }, () => buildChannelOrder());
        const env = await imported(setup, orders);
        const server = env.server;
        if (!server) throw new Error('the REST backend has a server');
        const before = server.requests.length;

        const result = await env.service.reconcileOrders();

        expect(result.reconciliation.checked).toBe(120);
        const reads = server.requests
          .slice(before)
          .filter((r) => r.method === 'GET' && /\/(orders|order_items)\/$/.test(r.path));
        // Per chunk of 50: one read of the orders by number, one of their items (pages of 100 at most).
        expect(reads.length).toBeLessThanOrEqual(3 * 2 + 3);
      });
  });
});
