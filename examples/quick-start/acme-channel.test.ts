import { OrderService } from 'channel-app-sdk';
import { InMemoryOmnitron } from 'channel-app-sdk/testing';
import { describe, expect, it } from 'vitest';
import { AcmeChannel } from './acme-channel.js';
import { acmeOrder, FakeAcmeApi } from './fake-acme-api.js';

describe('the quick-start Acme adapter', () => {
  it('imports new orders, confirms them on Acme, and pushes status changes back', async () => {
    const api = new FakeAcmeApi([
      acmeOrder('A-1'),
      acmeOrder('A-2', { lines: [{ id: 'A-2-1', sku: 'PROD-1', price: '10', qty: 3 }] }),
    ]);
    const omnitron = new InMemoryOmnitron();
    const service = new OrderService({ omnitron, channel: new AcmeChannel(api) });

    const imported = await service.fetchAndCreateOrder();
    expect(imported.counts).toMatchObject({ fetched: 2, created: 2, failed: 0 });
    expect([...api.confirmed]).toEqual(['A-1', 'A-2']);
    expect(omnitron.store.listOrderItems(omnitron.store.findOrderByNumber('A-2')?.id ?? 0)).toHaveLength(3);
    expect((await service.fetchAndCreateOrder()).counts.fetched).toBe(0);

    const shipped = omnitron.store.findOrderByNumber('A-1');
    omnitron.store.touchOrder(shipped?.id ?? 0, { status: '500' });
    const updated = await service.updateOrders();
    expect(updated.counts.updated).toBe(1);
    expect(api.pushed).toEqual([{ orderId: 'A-1', status: '500' }]);
  });
});
