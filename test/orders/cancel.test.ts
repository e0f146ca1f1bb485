import { describe, expect, it } from 'vitest';
import {
  ChannelIntegration,
  InvalidPayloadError,
  MappingNotFoundError,
  NotSupportedError,
  OrderService,
  ReasonNotMappedError,
} from '../../src/index.js';
import { buildCancelOrder, buildChannelOrder, InMemoryOmnitron } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

forEachBackend((setup) => {
  async function imported(
    orders = [
      buildChannelOrder({
        items: [
          { remoteId: 'A', product: 'PROD-1', price: '5', taxRate: '20', quantity: 2 },
          { remoteId: 'B', product: 'PROD-2', price: '5', taxRate: '20' },
        ],
      }),
    ],
  ) {
    const env = await setup({ orders });
    await env.service.fetchAndCreateOrder();
    return { ...env, orders };
  }

  describe('fetchAndCreateCancel', () => {
    it('cancels every unit of the cancelled lines with the mapped reasons, and finishes the batch', async () => {
      const { service, store, channel, orders } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [
        { order: order.remoteId, cancelItems: ['A'], reasons: { A: 'OUT_OF_STOCK' } },
      ];

      const result = await service.fetchAndCreateCancel();

      expect(result.items).toEqual([
        expect.objectContaining({ key: order.number, remoteId: order.remoteId, status: 'created' }),
      ]);
      expect(result.batchRequest?.status).toBe('done');
      const omnitronOrder = store.findOrderByNumber(order.number);
      const statuses = store.listOrderItems(omnitronOrder?.id ?? 0).map((i) => [i.extraField.id, i.status]);
      expect(statuses).toEqual([
        ['A', '100'],
        ['A', '100'],
        ['B', '400'],
      ]);
      const [cancel] = store.cancellations;
      expect(Object.values(cancel?.request.reasons ?? {})).toEqual([2, 2]);
    });

    it('cancels nothing twice when the marketplace reports the cancellation again', async () => {
      const { service, store, channel, orders } = await imported();
      channel.script.cancelledOrders = [buildCancelOrder(orders[0] ?? buildChannelOrder())];
      await service.fetchAndCreateCancel();
      const again = await service.fetchAndCreateCancel();
      expect(again.items[0]?.status).toBe('already_present');
      expect(store.cancellations).toHaveLength(1);
      expect(store.findOrderByNumber(orders[0]?.number ?? '')?.status).toBe('100');
    });

    it('fails a cancel for an order Omnitron never linked, a line it does not know, or an unmapped reason', async () => {
      const { service, channel, orders, store } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [
        { order: 'NEVER-IMPORTED', cancelItems: ['A'] },
        { order: order.remoteId, cancelItems: ['Z'] },
        { order: order.remoteId, cancelItems: ['A'], reasons: { A: 'WEATHER' } },
        { order: order.remoteId, cancelItems: ['A'], reasons: { B: 'DAMAGED' } },
      ];
      const result = await service.fetchAndCreateCancel();
      const [unknownOrder, unknownLine, unmapped, stray] = result.items;
      expect(unknownOrder?.error).toBeInstanceOf(MappingNotFoundError);
      expect(unknownOrder?.error?.message).toContain('NEVER-IMPORTED');
      expect(unknownLine?.error).toMatchObject({ contentType: 'orderitem', lookup: { remoteId: 'Z' } });
      expect(unmapped?.error).toBeInstanceOf(ReasonNotMappedError);
      expect(stray?.error).toBeInstanceOf(InvalidPayloadError);
      expect(store.cancellations).toEqual([]);
      expect(result.batchRequest?.status).toBe('done');
    });

    it('falls back to the configured cancellation_reason_id', async () => {
      const { service, store, channel, orders } = await imported();
      store.channel.conf = { ...store.channel.conf, cancellation_reason_id: 9 };
      channel.script.cancelledOrders = [
        { order: orders[0]?.remoteId, cancelItems: ['B'], reasons: { B: 'WEATHER' } },
      ];
      await service.fetchAndCreateCancel();
      expect(Object.values(store.cancellations[0]?.request.reasons ?? {})).toEqual([9]);
    });

    it('counts a cancel it applied as applied when the read-back of its order comes back empty', async () => {
      const { service, store, channel, omnitron, orders } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      // An Omnitron whose `orders/?pk__in=` answers nothing (an undocumented filter answered differently).
      omnitron.getOrders = async () => [];
      channel.script.cancelledOrders = [
        { order: order.remoteId, cancelItems: ['B'], reasons: { B: 'OUT_OF_STOCK' } },
      ];

      const result = await service.fetchAndCreateCancel();

      expect(result.items.map((i) => [i.key, i.status, i.error])).toEqual([
        [order.remoteId, 'created', undefined],
      ]);
      expect(store.cancellations).toHaveLength(1);
      expect(result.batchRequest?.status).toBe('done');
      const [object] = store.batchRequests.get(result.batchRequest?.id ?? 0)?.objects ?? [];
      expect(object?.versionDate).toBe('1970-01-01T00:00:00.000Z');
    });

    it('cancels one order given directly with createCancel', async () => {
      const { service, store, orders } = await imported();
      const result = await service.createCancel(buildCancelOrder(orders[0] ?? buildChannelOrder()));
      expect(result.flow).toBe('createCancel');
      expect(result.items[0]?.status).toBe('created');
      expect(store.cancellations).toHaveLength(1);
    });

    it('says clearly when the channel has no cancellations, before creating a batch', async () => {
      class OrdersOnly extends ChannelIntegration {
        override async *getOrders() {}
        override async sendUpdatedOrders() {
          return { status: 'done' as const, results: [] };
        }
      }
      const omnitron = new InMemoryOmnitron();
      const service = new OrderService({ omnitron, channel: new OrdersOnly() });
      await expect(service.fetchAndCreateCancel()).rejects.toBeInstanceOf(NotSupportedError);
      await expect(service.fetchAndUpdateOrderItems()).rejects.toBeInstanceOf(NotSupportedError);
      await expect(service.fetchAndCreateCancellationRequests()).rejects.toBeInstanceOf(NotSupportedError);
      await expect(service.updateCancellationRequests()).rejects.toBeInstanceOf(NotSupportedError);
      expect(omnitron.store.batchRequests.size).toBe(0);
    });
  });
});
