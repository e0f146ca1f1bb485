import { describe, expect, it } from 'vitest';
import { MappingNotFoundError } from '../../src/index.js';
import { buildChannelOrder, buildOrderItemUpdate } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

forEachBackend((setup) => {
  describe('fetchAndUpdateOrderItems', () => {
    it('applies status, invoice and tracking to every unit of the line, keeping the marketplace id', async () => {
      const order = buildChannelOrder({
        items: [{ remoteId: 'L', product: 'PROD-1', price: '1', taxRate: '0', quantity: 2 }],
      });
      const { service, store, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.updatedOrderItems = [
        {
          remoteId: 'L',
          status: '550',
          invoiceNumber: 'INV-1',
          invoiceDate: '2026-11-02T09:00:00Z',
          trackingNumber: 'TRK-1',
          extraField: { carrier: 'ARAS' },
        },
      ];

      const result = await service.fetchAndUpdateOrderItems();

      expect(result.items[0]?.status).toBe('updated');
      expect(result.batchRequest?.status).toBe('done');
      const items = store.listOrderItems(store.findOrderByNumber(order.number)?.id ?? 0);
      expect(items).toHaveLength(2);
      for (const item of items) {
        expect(item).toMatchObject({
          status: '550',
          invoiceNumber: 'INV-1',
          trackingNumber: 'TRK-1',
          extraField: { id: 'L', carrier: 'ARAS' },
        });
      }
      const again = await service.fetchAndUpdateOrderItems();
      expect(again.items[0]?.status).toBe('unchanged');
      expect(again.counts.skipped).toBe(1);
    });

    it('clears a field the marketplace sends as null', async () => {
      const order = buildChannelOrder();
      const { service, store, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.updatedOrderItems = [buildOrderItemUpdate(order, { trackingNumber: 'T-9' })];
      await service.fetchAndUpdateOrderItems();
      channel.script.updatedOrderItems = [{ remoteId: order.items[0]?.remoteId, trackingNumber: null }];
      await service.fetchAndUpdateOrderItems();
      expect(
        store.listOrderItems(store.findOrderByNumber(order.number)?.id ?? 0)[0]?.trackingNumber,
      ).toBeNull();
    });

    it('fails an update for a line Omnitron does not know and goes on', async () => {
      const order = buildChannelOrder();
      const { service, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.updatedOrderItems = [{ remoteId: 'GHOST', status: '550' }, buildOrderItemUpdate(order)];
      const result = await service.fetchAndUpdateOrderItems();
      expect(result.items[0]?.error).toBeInstanceOf(MappingNotFoundError);
      expect(result.items[1]?.status).toBe('updated');
    });
  });
});
