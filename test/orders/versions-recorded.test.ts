import { describe, expect, it } from 'vitest';
import { OrderStatus } from '../../src/index.js';
import { buildCancelOrder, buildChannelOrder } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

/**
 * A flow may record, as sent to the marketplace, only a version of an order it sent: otherwise a status the
 * merchant set in Omnitron never reaches the marketplace. The whole-app soak (`npm run soak`) found the
 * asynchronous case broken; a test marked `it.fails` is a KNOWN DEFECT, kept so `npm test` stays green:
 * make it `it` with the fix.
 */
forEachBackend((setup) => {
  const twoLines = () =>
    buildChannelOrder({
      items: [
        { remoteId: 'ONE', product: 'PROD-1', price: '1', taxRate: '0' },
        { remoteId: 'TWO', product: 'PROD-2', price: '1', taxRate: '0' },
      ],
    });
  const statusesSent = (env: Awaited<ReturnType<typeof setup>>) =>
    env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]));

  describe('versions of an order recorded by flows', () => {
    // The cancel flow records the order's version after a cancel: it must not cover an earlier change.
    it('a partial cancel does not hide an earlier, unsent merchant change', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order] });
      await env.service.fetchAndCreateOrder();
      const [stored] = env.store.orders.values();
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.preparing });

      env.channel.script.cancelledOrders = [buildCancelOrder(order, { cancelItems: ['ONE'], reasons: {} })];
      await env.service.fetchAndCreateCancel();
      await env.service.updateOrders();

      expect(statusesSent(env)).toEqual([[order.remoteId, OrderStatus.preparing]]);
    });

    // KNOWN DEFECT: getOrderBatchRequests reads the orders again when the marketplace's job finishes and
    // records their current `modified_date`, not the version the batch sent, so the later change is lost.
    it.fails('a change made while an asynchronous update was out is sent after the job finishes', async () => {
      const order = twoLines();
      const env = await setup({
        orders: [order],
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
      });
      await env.service.fetchAndCreateOrder();
      const [stored] = env.store.orders.values();
      const id = stored?.id ?? 0;
      env.store.touchOrder(id, { status: OrderStatus.preparing });
      await env.service.updateOrders({ isSync: false });
      // The merchant moves on while the marketplace's job runs.
      env.store.touchOrder(id, { status: OrderStatus.shipped });
      await env.service.getOrderBatchRequests();
      env.channel.script.sendUpdatedOrders = undefined;
      await env.service.updateOrders();

      expect(statusesSent(env)).toEqual([
        [order.remoteId, OrderStatus.preparing],
        [order.remoteId, OrderStatus.shipped],
      ]);
    });
  });
});
