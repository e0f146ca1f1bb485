import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildCancelOrder,
  buildChannelOrder,
  buildOrderItemUpdate,
  createMockOmnitronServer,
  type MockOmnitronServer,
} from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

// Where the flows used to depart from Omnitron's API reference, on both backends: batch objects carry their
// object's modified date as version, objects reach `done` only through a committed batch (which is what
// gives it a content type), and error reports carry the reported object's version, not the current time.

forEachBackend((setup) => {
  async function imported() {
    const order = buildChannelOrder({
      items: [{ remoteId: 'L1', product: 'PROD-1', price: '5', taxRate: '20', quantity: 2 }],
    });
    const env = await setup({ orders: [order] });
    await env.service.fetchAndCreateOrder();
    const omnitronOrder = env.store.findOrderByNumber(order.number);
    if (!omnitronOrder) throw new Error('order not imported');
    return { ...env, order, omnitronOrder };
  }

  describe('the cancel flow', () => {
    it('commits each order with its modified date after the cancel, then ends done', async () => {
      const { service, store, channel, order, omnitronOrder } = await imported();
      channel.script.cancelledOrders = [buildCancelOrder(order)];

      const result = await service.fetchAndCreateCancel({ isSuccessLog: true });

      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch).toMatchObject({ status: 'done', contentType: 'order' });
      const version = store.orders.get(omnitronOrder.id)?.modifiedDate;
      expect(version).toEqual(expect.any(String));
      expect(batch?.objects).toEqual([
        {
          id: omnitronOrder.id,
          contentType: 'order',
          remoteId: order.remoteId,
          failedReasonType: null,
          versionDate: version,
        },
      ]);
      // Its success report carries the same version, not the time it was written.
      const success = store.errorReports.find((r) => r.isOk && r.actionContentType === 'order');
      expect(success?.modifiedDate).toBe(version);
    });

    it('reports a failure about the batch with the batch version Omnitron last gave', async () => {
      const { service, store, channel } = await imported();
      channel.script.cancelledOrders = [{ order: 'NEVER-IMPORTED', cancelItems: ['X'] }];
      // The wall clock goes back a day: Omnitron's versions keep moving forward, so a report that took the
      // current time would no longer match the batch's version by chance.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() - 86_400_000);
      const result = await service.fetchAndCreateCancel().finally(() => vi.useRealTimers());
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      const [failure] = store.errorReports.filter((r) => !r.isOk);
      expect(failure?.actionContentType).toBe('batchrequest');
      // The batch was created and not changed before the report: its version is its creation time.
      expect(failure?.modifiedDate).toBe(batch?.createdDate);
    });
  });

  describe('the order-item update flow', () => {
    it('commits the changed units with their versions before done', async () => {
      const { service, store, channel, order, omnitronOrder } = await imported();
      channel.script.updatedOrderItems = [buildOrderItemUpdate(order, { trackingNumber: 'TRK-9' })];

      const result = await service.fetchAndUpdateOrderItems();

      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch).toMatchObject({ status: 'done', contentType: 'orderitem' });
      const items = store.listOrderItems(omnitronOrder.id);
      expect(batch?.objects).toEqual(
        items.map((item) => ({
          id: item.id,
          contentType: 'orderitem',
          remoteId: 'L1',
          failedReasonType: null,
          versionDate: item.modifiedDate,
        })),
      );
    });
  });
});

describe('the mock Omnitron checks request bodies against its own schemas', () => {
  const servers: MockOmnitronServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function send(method: string, path: string, body: unknown) {
    const server = await createMockOmnitronServer();
    servers.push(server);
    const login = await fetch(`${server.url}/api/v1/auth/login/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(server.credentials),
    });
    const { key } = (await login.json()) as { key: string };
    const response = await fetch(`${server.url}/api/v1/channel/${server.store.channelId}/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Token ${key}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string[]> };
  }

  const item = { product: 1, quantity: 1, unit_price: '5', total_price: '5', price: '5' };
  const order = {
    number: 'N-1',
    channel: 1,
    status: '400',
    date_placed: '2025-01-01T00:00:00Z',
    customer: 1,
    shipping_address: 1,
    billing_address: 1,
    cargo_company: 1,
    currency: 'try',
    amount: '5',
    shipping_amount: '0',
    shipping_tax_rate: '20',
    extra_field: { id: 'N-1' },
  };

  it('refuses a misspelt field: the unknown key and the required field it left out are both named', async () => {
    const { shipping_address, ...rest } = order;
    const answer = await send('POST', 'create_orders/', {
      order: { ...rest, shiping_address: shipping_address },
      order_item: [item],
    });
    expect(answer.status).toBe(400);
    expect(answer.body['order.shiping_address']).toEqual(['Unknown field.']);
    expect(answer.body['order.shipping_address']).toEqual(['This field is required.']);
  });

  it('refuses an order item without the quantity and prices the reference requires', async () => {
    const answer = await send('POST', 'create_orders/', {
      order,
      order_item: [{ product: 1, price: '5' }],
    });
    expect(answer.status).toBe(400);
    for (const field of ['quantity', 'unit_price', 'total_price'])
      expect(answer.body[`order_item.0.${field}`]).toEqual(['This field is required.']);
  });

  it('refuses a batch object without a version date', async () => {
    const created = await send('POST', 'batch_requests/', { channel: 1 });
    expect(created.status).toBe(201);
    const server = servers[0] as MockOmnitronServer;
    const [batch] = server.store.batchRequests.values();
    const login = await fetch(`${server.url}/api/v1/auth/login/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(server.credentials),
    });
    const { key } = (await login.json()) as { key: string };
    const patch = await fetch(`${server.url}/api/v1/channel/1/batch_requests/${batch?.id}/`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Token ${key}` },
      body: JSON.stringify({
        channel: 1,
        status: 'commit',
        content_type: 'order',
        objects: [
          { pk: 5, failed_reason_type: null, remote_id: 'R', version_date: null, content_type: 'order' },
        ],
      }),
    });
    expect(patch.status).toBe(400);
    expect(Object.keys((await patch.json()) as object)).toEqual(['objects.0.version_date']);
  });
});
