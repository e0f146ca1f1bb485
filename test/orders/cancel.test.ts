import { describe, expect, it } from 'vitest';
import {
  ChannelIntegration,
  FlowAbortedError,
  InvalidPayloadError,
  MappingNotFoundError,
  NotSupportedError,
  OrderService,
  ReasonNotMappedError,
} from '../../src/index.js';
import {
  buildCancelOrder,
  buildChannelOrder,
  InMemoryOmnitron,
  type OmnitronStore,
} from '../../src/testing/index.js';
import { errorOf, failureReports, forEachBackend } from '../support.js';

/** An order with a line `A` of three units and a line `B` of one. */
function threeUnitOrder() {
  return [
    buildChannelOrder({
      items: [
        { remoteId: 'A', product: 'PROD-1', price: '5', taxRate: '20', quantity: 3 },
        { remoteId: 'B', product: 'PROD-2', price: '5', taxRate: '20' },
      ],
    }),
  ];
}

/** The Omnitron units of an order's line, lowest id first. */
function unitsOf(store: OmnitronStore, number: string, line: string) {
  const order = store.findOrderByNumber(number);
  return store
    .listOrderItems(order?.id ?? 0)
    .filter((item) => item.extraField.id === line)
    .sort((a, b) => a.id - b.id);
}

/** Status and cancel mark of each unit of an order's line, lowest id first. */
function lineUnits(store: OmnitronStore, number: string, line: string) {
  return unitsOf(store, number, line).map((unit) => [unit.status, unit.extraField.channel_app_cancel]);
}

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

    it('never marks a status change the marketplace has not heard of as sent when it cancels a line', async () => {
      const { service, store, channel, orders } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      const stored = store.findOrderByNumber(order.number);
      // The merchant moves the order on; before the update flow sends that, the marketplace cancels a line.
      store.touchOrder(stored?.id ?? 0, { status: '450' });
      channel.script.cancelledOrders = [{ order: order.remoteId, cancelItems: ['B'] }];
      expect((await service.fetchAndCreateCancel()).items[0]?.status).toBe('created');

      const update = await service.updateOrders();

      expect(update.counts).toMatchObject({ fetched: 1, updated: 1 });
      expect(channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]))).toEqual([
        [order.remoteId, '450'],
      ]);
    });

    it('records an order it cancelled whole, or with nothing new, as known: no echo of the cancel', async () => {
      const { service, store, channel, orders } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [{ order: order.remoteId, cancelItems: ['A'] }];
      await service.fetchAndCreateCancel();
      channel.script.cancelledOrders = [{ order: order.remoteId, cancelItems: ['B'] }];
      await service.fetchAndCreateCancel();
      expect(store.findOrderByNumber(order.number)?.status).toBe('100');

      expect((await service.updateOrders()).counts.fetched).toBe(0);
      expect(channel.sent).toEqual([]);
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

    it('cancels a quantity of a line, lowest unit first, and nothing more when the cancel is listed again', async () => {
      const { service, store, channel, orders } = await imported(threeUnitOrder());
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [
        { remoteId: 'C1', order: order.remoteId, cancelItems: ['A'], quantities: { A: 2 } },
      ];

      const first = await service.fetchAndCreateCancel();
      const again = await service.fetchAndCreateCancel();

      expect(first.items.map((i) => i.status)).toEqual(['created']);
      expect(again.items.map((i) => i.status)).toEqual(['already_present']);
      expect(store.cancellations).toHaveLength(1);
      expect(lineUnits(store, order.number, 'A')).toEqual([
        ['100', 'C1'],
        ['100', 'C1'],
        ['400', undefined],
      ]);
    });

    it('gives a second partial cancel of the line the units left, and refuses one over the quantity left while other cancels go on', async () => {
      const { service, store, channel, orders } = await imported(threeUnitOrder());
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [
        { remoteId: 'C1', order: order.remoteId, cancelItems: ['A'], quantities: { A: 2 } },
        { remoteId: 'C2', order: order.remoteId, cancelItems: ['A'], quantities: { A: 1 } },
        { remoteId: 'C3', order: order.remoteId, cancelItems: ['A', 'B'], quantities: { A: 1 } },
        { remoteId: 'C4', order: order.remoteId, cancelItems: ['B'] },
      ];

      const result = await service.fetchAndCreateCancel();

      expect(result.items.map((i) => [i.status, i.error?.code])).toEqual([
        ['created', undefined],
        ['created', undefined],
        ['failed', 'INVALID_PAYLOAD'],
        ['created', undefined],
      ]);
      const refused = errorOf(result.items[2], InvalidPayloadError);
      expect(refused.issues).toEqual([
        { path: 'quantities.A', message: expect.stringContaining('has 0 units left to cancel') },
      ]);
      // C3 was refused whole: its line B was cancelled by C4, not by C3.
      expect(lineUnits(store, order.number, 'A').map(([status, mark]) => [status, mark])).toEqual([
        ['100', 'C1'],
        ['100', 'C1'],
        ['100', 'C2'],
      ]);
      expect(store.cancellations.map((c) => c.request.cancelItems.length)).toEqual([2, 1, 1]);
      expect(failureReports(store).map((r) => r.errorCode)).toEqual([
        expect.stringContaining('CreateCancel'),
      ]);
    });

    it('finishes a partial cancel cut short after marking its units, on those units and no others', async () => {
      const { service, store, channel, orders } = await imported(threeUnitOrder());
      const order = orders[0] ?? buildChannelOrder();
      // A run that stopped between marking the units and cancelling them: it had taken the two highest.
      const units = unitsOf(store, order.number, 'A');
      for (const unit of units.slice(1))
        store.updateOrderItem(unit.id, { extraField: { ...unit.extraField, channel_app_cancel: 'C1' } });
      channel.script.cancelledOrders = [
        { remoteId: 'C1', order: order.remoteId, cancelItems: ['A'], quantities: { A: 2 } },
      ];

      const result = await service.fetchAndCreateCancel();

      expect(result.items.map((i) => i.status)).toEqual(['created']);
      expect(lineUnits(store, order.number, 'A')).toEqual([
        ['400', undefined],
        ['100', 'C1'],
        ['100', 'C1'],
      ]);
    });

    it("refuses quantities without the cancel's own marketplace id, which a repeat is recognised by", async () => {
      const { service, store, channel, orders } = await imported(threeUnitOrder());
      channel.script.cancelledOrders = [
        { order: orders[0]?.remoteId, cancelItems: ['A'], quantities: { A: 1 } },
        { remoteId: 'C9', order: orders[0]?.remoteId, cancelItems: ['A'], quantities: { B: 1 } },
      ];
      const result = await service.fetchAndCreateCancel();
      expect(result.items.map((i) => errorOf(i, InvalidPayloadError).issues.map((x) => x.path))).toEqual([
        ['remoteId'],
        ['quantities.B'],
      ]);
      expect(store.cancellations).toEqual([]);
    });

    it('tells the adapter which cancels were applied and which failed, and why, once the batch is done', async () => {
      const { service, channel, orders, store } = await imported();
      const order = orders[0] ?? buildChannelOrder();
      channel.script.cancelledOrders = [
        { order: order.remoteId, cancelItems: ['A'] },
        { order: 'NEVER-IMPORTED', cancelItems: ['A'] },
        { order: order.remoteId, cancelItems: [] },
        { order: order.remoteId, cancelItems: ['A'] },
      ];

      const result = await service.fetchAndCreateCancel();

      expect(channel.itemAcknowledgements).toHaveLength(1);
      const [call] = channel.itemAcknowledgements;
      expect(call?.operation).toBe('acknowledgeCancels');
      expect(call?.input.batchRequest.id).toBe(result.batchRequest?.id);
      expect(store.batchRequests.get(result.batchRequest?.id ?? 0)?.status).toBe('done');
      const omnitronId = store.findOrderByNumber(order.number)?.id;
      expect(call?.input.applied).toEqual([
        { key: order.number, remoteId: order.remoteId, status: 'created', omnitronId },
        { key: order.number, remoteId: order.remoteId, status: 'already_present', omnitronId },
      ]);
      expect(call?.input.failed).toEqual([
        {
          key: 'NEVER-IMPORTED',
          remoteId: 'NEVER-IMPORTED',
          code: 'MAPPING_NOT_FOUND',
          message: expect.stringContaining('NEVER-IMPORTED'),
        },
        {
          key: order.remoteId,
          remoteId: order.remoteId,
          code: 'INVALID_PAYLOAD',
          message: expect.stringContaining('cancelItems'),
        },
      ]);
    });

    it('reports a failed acknowledge and still finishes the run', async () => {
      const { service, channel, orders, store } = await imported();
      channel.acknowledgeCancels = async () => {
        throw new Error('marketplace down');
      };
      channel.script.cancelledOrders = [buildCancelOrder(orders[0] ?? buildChannelOrder())];
      const result = await service.fetchAndCreateCancel();
      expect(result.counts.created).toBe(1);
      expect(result.batchRequest?.status).toBe('done');
      expect(failureReports(store).map((r) => r.errorCode)).toEqual([
        expect.stringContaining('AcknowledgeCancels'),
      ]);
    });

    it('records the cancels finished before an abort, and starts none after it', async () => {
      const orders = [1, 2, 3].map(() => buildChannelOrder());
      const { service, store, channel, omnitron } = await imported(orders);
      channel.script.cancelledOrders = orders.map((order) => buildCancelOrder(order));
      const controller = new AbortController();
      const cancelOrder = omnitron.cancelOrder.bind(omnitron);
      let calls = 0;
      omnitron.cancelOrder = async (id, request) => {
        await cancelOrder(id, request);
        calls += 1;
        if (calls === 2) controller.abort(new Error('shutting down'));
      };

      const run = await service
        .fetchAndCreateCancel({ concurrency: 1, signal: controller.signal })
        .catch((error: unknown) => error);

      expect(run).toBeInstanceOf(FlowAbortedError);
      expect(store.cancellations).toHaveLength(2);
      // The cancel run's batch request, the last one made (the import's came before it).
      const batch = [...store.batchRequests.values()].at(-1);
      expect(batch?.status).toBe('fail');
      expect(batch?.objects?.map((o) => o.remoteId).sort()).toEqual(
        orders
          .slice(0, 2)
          .map((o) => o.remoteId)
          .sort(),
      );
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
