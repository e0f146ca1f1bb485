import { describe, expect, it } from 'vitest';
import {
  type CancellationRequest,
  type CancellationRequestCreate,
  type Order,
  type OrderCreate,
  OrderService,
  OrderStatus,
} from '../../src/index.js';
import {
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelOrder,
  buildOrderItemUpdate,
  InMemoryOmnitron,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

/**
 * A marketplace lists the same objects again and again (an order until it is acknowledged, a request until
 * it is resolved, a cancel or a line update for as long as it likes). A flow that re-sees an object must
 * never record Omnitron's later change as already sent: only the flow that sent a version may record it.
 * Each test: an object imported, changed by the merchant in Omnitron, listed again by the marketplace,
 * re-seen by its import flow; the update flow must still send the merchant's change.
 */
forEachBackend((setup) => {
  const twoLines = () =>
    buildChannelOrder({
      items: [
        { remoteId: 'ONE', product: 'PROD-1', price: '1', taxRate: '0' },
        { remoteId: 'TWO', product: 'PROD-2', price: '1', taxRate: '0' },
      ],
    });

  describe('an object the marketplace lists again', () => {
    it('a cancellation request approved in Omnitron is sent after its import re-sees it', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order] });
      await env.service.fetchAndCreateOrder();
      const request = buildCancellationRequest(order, { orderItem: 'ONE' });
      env.channel.script.cancellationRequests = [request];
      await env.service.fetchAndCreateCancellationRequests();
      const [stored] = env.store.cancellationRequests.values();
      env.store.setCancellationRequestStatus(stored?.id ?? 0, 'approved');

      // The marketplace still lists the request: it stays open there until it hears the approval.
      const again = await env.service.fetchAndCreateCancellationRequests();
      expect(again.items[0]?.status).toBe('already_present');
      const sent = await env.service.updateCancellationRequests();

      expect(sent.counts).toMatchObject({ fetched: 1, updated: 1, failed: 0 });
      expect(env.channel.cancellationUpdates.map((u) => [u.request.remoteId, u.request.status])).toEqual([
        [request.remoteId, 'approved'],
      ]);
    });

    it('an order shipped in Omnitron is sent after its import re-sees it', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order], acknowledges: false });
      await env.service.fetchAndCreateOrder();
      const [stored] = env.store.orders.values();
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.shipped });

      const again = await env.service.fetchAndCreateOrder();
      expect(again.items[0]?.status).toBe('already_present');
      await env.service.updateOrders();

      expect(env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [order.remoteId, OrderStatus.shipped],
      ]);
    });

    it('a partial cancel does not hide an earlier, unsent merchant change', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order] });
      await env.service.fetchAndCreateOrder();
      const [stored] = env.store.orders.values();
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.preparing });

      env.channel.script.cancelledOrders = [buildCancelOrder(order, { cancelItems: ['ONE'], reasons: {} })];
      await env.service.fetchAndCreateCancel();
      await env.service.updateOrders();

      expect(env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [order.remoteId, OrderStatus.preparing],
      ]);
    });

    it('an order changed again while its asynchronous update is at the marketplace is sent again', async () => {
      const order = twoLines();
      let jobDone = false;
      const env = await setup({
        orders: [order],
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
        checkOrders: ({ orders }) =>
          jobDone
            ? {
                status: 'done',
                results: orders.map((o) => ({ status: 'SUCCESS', number: o.remoteId ?? '' })),
              }
            : { status: 'ongoing' },
      });
      await env.service.fetchAndCreateOrder();
      const [stored] = env.store.orders.values();
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.shipped });
      expect((await env.service.updateOrders({ isSync: false })).batchRequest?.status).toBe('sent_to_remote');

      // The merchant moves the order on while the marketplace's job runs; the poll then sees the new state.
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.delivered });
      jobDone = true;
      await env.service.getOrderBatchRequests();
      await env.service.updateOrders({ isSync: false });

      expect(env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [order.remoteId, OrderStatus.shipped],
        [order.remoteId, OrderStatus.delivered],
      ]);
    });

    it('an order a stopped run created, shipped in Omnitron before a re-run links it, is sent', async () => {
      const orders = [twoLines(), twoLines()];
      const env = await setup({ orders, failOrdersAfter: 1 });
      await expect(env.service.fetchAndCreateOrder()).rejects.toThrow();
      const [stored] = env.store.orders.values();
      expect(stored?.number).toBe(orders[0]?.number);
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.shipped });

      env.channel.script.failOrdersAfter = undefined;
      const rerun = await env.service.fetchAndCreateOrder();
      expect(rerun.items.map((i) => i.status)).toEqual(['already_present', 'created']);
      await env.service.updateOrders();

      expect(env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [orders[0]?.remoteId, OrderStatus.shipped],
      ]);
    });

    it('an order changed in Omnitron after a cancel is sent after the cancel is listed again', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order] });
      await env.service.fetchAndCreateOrder();
      const cancel = { order: order.remoteId, cancelItems: ['ONE'], reasons: { ONE: 'CUSTOMER_REQUEST' } };
      env.channel.script.cancelledOrders = [cancel];
      expect((await env.service.fetchAndCreateCancel()).items[0]?.status).toBe('created');
      const [stored] = env.store.orders.values();
      env.store.touchOrder(stored?.id ?? 0, { status: OrderStatus.shipped });

      const again = await env.service.fetchAndCreateCancel();
      expect(again.items[0]?.status).toBe('already_present');
      await env.service.updateOrders();

      expect(env.channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [order.remoteId, OrderStatus.shipped],
      ]);
    });

    it('a line update listed again that changes nothing records no version', async () => {
      const order = twoLines();
      const env = await setup({ orders: [order] });
      await env.service.fetchAndCreateOrder();
      env.channel.script.updatedOrderItems = [buildOrderItemUpdate(order, { invoiceNumber: 'INV-1' })];
      expect((await env.service.fetchAndUpdateOrderItems()).items[0]?.status).toBe('updated');

      const again = await env.service.fetchAndUpdateOrderItems();

      expect(again.items[0]?.status).toBe('unchanged');
      const batch = env.store.batchRequests.get(again.batchRequest?.id ?? 0);
      expect(batch?.objects ?? []).toEqual([]);
    });
  });
});

/**
 * A create whose answer was lost comes back as what a look-up found, and the merchant may have acted on it
 * in between. This Omnitron answers each create with the object as the merchant has already changed it.
 */
class DecidedBeforeFound extends InMemoryOmnitron {
  override async createOrder(order: OrderCreate): Promise<Order> {
    const created = await super.createOrder(order);
    return this.store.touchOrder(created.id, { status: OrderStatus.shipped });
  }

  override async createCancellationRequest(request: CancellationRequestCreate): Promise<CancellationRequest> {
    const created = await super.createCancellationRequest(request);
    return this.store.setCancellationRequestStatus(created.id, 'rejected');
  }
}

describe('an object the merchant changed before its create was found', () => {
  it('an order shipped in Omnitron before its lost create was found is sent', async () => {
    const omnitron = new DecidedBeforeFound();
    const order = buildChannelOrder();
    const channel = new ScriptedChannel({ orders: [order] });
    const service = new OrderService({ omnitron, channel });
    expect((await service.fetchAndCreateOrder()).items[0]?.status).toBe('created');

    await service.updateOrders();

    expect(channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
      [order.remoteId, OrderStatus.shipped],
    ]);
  });

  it('a request rejected in Omnitron before its lost create was found is sent', async () => {
    const omnitron = new DecidedBeforeFound();
    const order = buildChannelOrder();
    const channel = new ScriptedChannel({ orders: [order] });
    const service = new OrderService({ omnitron, channel });
    await service.fetchAndCreateOrder();
    await service.updateOrders();
    const request = buildCancellationRequest(order);
    channel.script.cancellationRequests = [request];
    expect((await service.fetchAndCreateCancellationRequests()).items[0]?.status).toBe('created');

    await service.updateCancellationRequests();

    expect(channel.cancellationUpdates.map((u) => [u.request.remoteId, u.request.status])).toEqual([
      [request.remoteId, 'rejected'],
    ]);
  });
});
