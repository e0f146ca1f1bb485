import { describe, expect, it, vi } from 'vitest';
import {
  CargoCompanyNotFoundError,
  ChannelError,
  ChannelInactiveError,
  type ChannelOrderInput,
  DuplicateOrderError,
  FlowAbortedError,
  InvalidPayloadError,
  OmnitronError,
  OrderService,
  ProductNotFoundError,
  UnknownLocationError,
} from '../../src/index.js';
import {
  buildChannelOrder,
  InMemoryOmnitron,
  type OmnitronStore,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { errorOf, failureReports, forEachBackend } from '../support.js';

forEachBackend((setup) => {
  describe('fetchAndCreateOrder', () => {
    it('creates each order with its customer, addresses and items, links them and finishes the batch', async () => {
      const orders = [
        buildChannelOrder(),
        buildChannelOrder(),
        buildChannelOrder({
          items: [{ remoteId: 'L1', product: 'PROD-2', price: '10', taxRate: '20', quantity: 2 }],
        }),
      ];
      const { service, store, channel } = await setup({ orders });

      const result = await service.fetchAndCreateOrder();

      expect(result.counts).toEqual({ fetched: 3, created: 3, updated: 0, skipped: 0, failed: 0 });
      expect(result.items.map((i) => i.status)).toEqual(['created', 'created', 'created']);
      expect(result.batchRequest?.status).toBe('done');
      expect(store.batchRequests.get(result.batchRequest?.id ?? 0)?.status).toBe('done');
      expect(store.orders.size).toBe(3);
      expect(store.customers.size).toBe(3);
      // Shipping and billing are the same address: stored once per customer.
      expect(store.addresses.size).toBe(3);
      const third = store.findOrderByNumber(orders[2]?.number ?? '');
      const units = store.listOrderItems(third?.id ?? 0);
      expect(units).toHaveLength(2);
      expect(units.every((u) => u.extraField.id === 'L1')).toBe(true);
      // On done, Omnitron linked each order and item to its marketplace id.
      for (const order of orders) {
        const [link] = store.listIntegrationActions({ contentType: 'order', remoteIds: [order.remoteId] });
        expect(link?.objectId).toBe(store.findOrderByNumber(order.number)?.id);
      }
      expect(store.listIntegrationActions({ contentType: 'orderitem', remoteIds: ['L1'] })).toHaveLength(2);
      expect(channel.acknowledged.map((a) => a.remoteId)).toEqual(orders.map((o) => o.remoteId));
      expect(result.acknowledged).toBe(3);
    });

    it('builds the Omnitron payload from the marketplace order, money as decimal strings', async () => {
      const order = buildChannelOrder({
        amount: '1250.00',
        discountAmount: '50.00',
        extraField: { campaign: 'BF' },
        items: [{ remoteId: 'X1', product: 'PROD-3', price: '600.10', taxRate: '20' }],
      });
      const { service, store } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      const stored = store.findOrderByNumber(order.number);
      expect(stored).toMatchObject({
        amount: '1250.00',
        currency: 'try',
        status: '400',
        extraField: { campaign: 'BF', id: order.remoteId },
      });
      expect(store.listOrderItems(stored?.id ?? 0)[0]).toMatchObject({ price: '600.10', status: '400' });
    });

    it('fails a malformed order alone, naming the field, and goes on with the others', async () => {
      const good = buildChannelOrder();
      const floatAmount = { ...buildChannelOrder(), amount: 12.5 };
      const noItems = { ...buildChannelOrder(), items: [] };
      const { service, store } = await setup({
        orders: [floatAmount, good, noItems, 'not an order'],
      });

      const result = await service.fetchAndCreateOrder();

      expect(result.counts).toMatchObject({ fetched: 4, created: 1, failed: 3 });
      const [first, , third, fourth] = result.items;
      expect(first?.error).toBeInstanceOf(InvalidPayloadError);
      expect(errorOf(first, InvalidPayloadError).issues.map((i) => i.path)).toEqual(['amount']);
      expect(first?.key).toBe(floatAmount.number);
      expect(errorOf(third, InvalidPayloadError).issues[0]?.path).toBe('items');
      expect(fourth?.key).toBe('#4');
      expect(store.orders.size).toBe(1);
      expect(result.batchRequest?.status).toBe('done');
      const reports = failureReports(store);
      expect(reports).toHaveLength(3);
      expect(reports[0]?.errorCode).toBe(
        `${result.batchRequest?.localBatchId}-GetOrders-${floatAmount.number}`,
      );
      expect(reports[0]?.rawResponse).toContain('amount');
    });

    it('reports an unknown city to the address-mapping screen and as an error, and goes on', async () => {
      const lost = buildChannelOrder({
        shippingAddress: { city: 'Atlantis' },
        billingAddress: { city: 'Atlantis' },
      });
      const good = buildChannelOrder();
      const { service, store } = await setup({ orders: [lost, good] });

      const result = await service.fetchAndCreateOrder();

      const error = result.items[0]?.error;
      expect(error).toBeInstanceOf(UnknownLocationError);
      expect(error).toMatchObject({ kind: 'city', value: 'Atlantis', remoteCode: '1_Atlantis' });
      expect(store.addressErrorReports).toEqual([
        expect.objectContaining({
          type: 'city',
          remoteCode: '1_Atlantis',
          errCode: 'integrations_200_10_2',
          countryId: expect.any(Number),
        }),
      ]);
      expect(failureReports(store)[0]?.rawResponse).toContain('UNKNOWN_LOCATION');
      expect(result.items[1]?.status).toBe('created');
      // The order did not reach Omnitron, so it was not acknowledged: the marketplace offers it again.
      expect(result.acknowledged).toBe(1);
    });

    it('accepts a location the merchant mapped by hand', async () => {
      const order = buildChannelOrder({
        shippingAddress: { city: 'Istanbul Anadolu' },
        billingAddress: { city: 'Istanbul Anadolu' },
      });
      const { service, store } = await setup({ orders: [order] });
      const istanbul = [...store.locations.values()].find((l) => l.kind === 'city' && l.name === 'İstanbul');
      store.mapLocation('city', 'Istanbul Anadolu', istanbul?.id ?? 0);
      const result = await service.fetchAndCreateOrder();
      expect(result.items[0]?.status).toBe('created');
    });

    it('fails an order with an unknown cargo company', async () => {
      const { service, store } = await setup({
        orders: [buildChannelOrder({ cargoCompany: 'PIGEON' }), buildChannelOrder()],
      });
      const result = await service.fetchAndCreateOrder();
      expect(result.items[0]?.error).toBeInstanceOf(CargoCompanyNotFoundError);
      expect(result.items[0]?.error?.message).toContain('PIGEON');
      expect(store.orders.size).toBe(1);
    });

    it('fails an order whose product is not mapped, naming the product', async () => {
      const order = buildChannelOrder({
        items: [
          { remoteId: 'A', product: 'PROD-1', price: '1', taxRate: '0' },
          { remoteId: 'B', product: 'GHOST', price: '1', taxRate: '0' },
        ],
      });
      const { service, store } = await setup({ orders: [order] });
      const result = await service.fetchAndCreateOrder();
      expect(result.items[0]?.error).toBeInstanceOf(ProductNotFoundError);
      expect(errorOf(result.items[0], ProductNotFoundError).remoteIds).toEqual(['GHOST']);
      expect(store.orders.size).toBe(0);
    });

    it('refuses a different marketplace order that reuses an existing order number', async () => {
      const first = buildChannelOrder({ number: 'SAME-1' });
      const second = buildChannelOrder({ number: 'SAME-1' });
      const { service, store } = await setup({ orders: [first, second] });
      const result = await service.fetchAndCreateOrder();
      expect(result.items[0]?.status).toBe('created');
      expect(result.items[1]?.error).toBeInstanceOf(DuplicateOrderError);
      expect(store.orders.size).toBe(1);
      // The existing order stays linked to the first marketplace order only.
      expect(store.listIntegrationActions({ contentType: 'order', remoteIds: [second.remoteId] })).toEqual(
        [],
      );
    });

    it('treats an order another run created meanwhile as already present', async () => {
      const order = buildChannelOrder();
      const { service, store, omnitron } = await setup({ orders: [order] });
      // The chunk's look-up says "absent", but by the time we create it another worker has: Omnitron
      // answers duplicate, and the order is found by number.
      const original = omnitron.findOrdersByNumbers.bind(omnitron);
      let lookups = 0;
      omnitron.findOrdersByNumbers = async (numbers) => {
        lookups += 1;
        if (lookups === 1) {
          await createAsAnotherWorker(store, order);
          return new Map();
        }
        return original(numbers);
      };
      const result = await service.fetchAndCreateOrder();
      expect(lookups).toBe(1);
      expect(result.items[0]?.status).toBe('already_present');
      expect(store.orders.size).toBe(1);
      // It is linked to its marketplace id all the same.
      expect(
        store.listIntegrationActions({ contentType: 'order', remoteIds: [order.remoteId] }),
      ).toHaveLength(1);
    });

    it('acknowledges each chunk of orders once it is committed and closed, so a stopped run keeps its progress', async () => {
      const orders = Array.from({ length: 120 }, () => buildChannelOrder());
      const { service, store, channel } = await setup({ orders });
      const controller = new AbortController();
      let seen = 0;
      const error = await service
        .fetchAndCreateOrder({
          concurrency: 4,
          signal: controller.signal,
          onItem: () => {
            seen += 1;
            if (seen === 75) controller.abort(new Error('deploy'));
          },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlowAbortedError);
      // The first chunk of 50 was committed, closed and acknowledged before the stop; the rest was not.
      const acknowledged = channel.acknowledged.map((a) => a.remoteId);
      expect(acknowledged).toEqual(orders.slice(0, 50).map((o) => o.remoteId));
      // Acknowledged orders are linked to their marketplace ids: nothing the marketplace stops offering is
      // left without its link.
      const links = store.listIntegrationActions({ contentType: 'order', remoteIds: acknowledged });
      expect(links).toHaveLength(50);
    });

    it('skips known orders with one look-up per chunk, fetching items only of orders not yet linked', async () => {
      const orders = Array.from({ length: 120 }, () => buildChannelOrder());
      const { service, store, omnitron, server } = await setup({ orders, acknowledges: false });
      await service.fetchAndCreateOrder();
      // One more order reached Omnitron but its batch never ended done: present, not linked.
      const unlinked = buildChannelOrder();
      await createUnlinked(store, unlinked);
      orders.push(unlinked);
      const one = vi.spyOn(omnitron, 'findOrderByNumber');
      const items = vi.spyOn(omnitron, 'listOrderItemsOfOrders');
      const chunks = vi.spyOn(omnitron, 'findOrdersByNumbers');
      const before = server?.requests.length ?? 0;

      const again = await service.fetchAndCreateOrder();

      expect(again.counts).toMatchObject({ fetched: 121, created: 0, skipped: 121, failed: 0 });
      expect(one).not.toHaveBeenCalled();
      expect(chunks).toHaveBeenCalledTimes(3);
      expect(items).toHaveBeenCalledTimes(1);
      expect(items.mock.calls[0]?.[0]).toEqual([store.findOrderByNumber(unlinked.number)?.id]);
      expect(store.orders.size).toBe(121);
      expect(
        store.listIntegrationActions({ contentType: 'order', remoteIds: [unlinked.remoteId] }),
      ).toHaveLength(1);
      if (server) {
        const lookups = server.requests.slice(before).filter((r) => /\/orders\/$/.test(r.path));
        expect(lookups.map((r) => r.query)).toEqual(Array(3).fill(expect.stringContaining('number__in=')));
        const itemLists = server.requests.slice(before).filter((r) => /\/order_items\/$/.test(r.path));
        expect(itemLists.map((r) => r.query)).toEqual([expect.stringContaining('order__in=')]);
      }
    });

    it('reads the items of a chunk of created orders with one request', async () => {
      const orders = Array.from({ length: 50 }, () => buildChannelOrder());
      const { service, omnitron, server } = await setup({ orders });
      const one = vi.spyOn(omnitron, 'listOrderItems');

      const result = await service.fetchAndCreateOrder();

      expect(result.counts.created).toBe(50);
      expect(one).not.toHaveBeenCalled();
      if (server) {
        const itemLists = server.requests.filter((r) => /\/order_items\/$/.test(r.path));
        expect(itemLists).toHaveLength(1);
      }
    });

    it('fails one order on an Omnitron error, goes on, and creates it on the next run', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder()];
      const { service, store, failNext } = await setup({ orders });
      failNext('createOrder');

      // One at a time, so the injected failure hits the first order.
      const first = await service.fetchAndCreateOrder({ concurrency: 1 });
      expect(first.items[0]?.error).toBeInstanceOf(OmnitronError);
      expect(first.items[0]?.error?.retriable).toBe(true);
      expect(first.items[1]?.status).toBe('created');
      expect(first.batchRequest?.status).toBe('done');

      const second = await service.fetchAndCreateOrder();
      expect(second.items.map((i) => [i.key, i.status])).toEqual([[orders[0]?.number, 'created']]);
      expect(store.orders.size).toBe(2);
    });

    it('closes the batch as fail and throws when Omnitron refuses the batch itself', async () => {
      const { service, store, failNext } = await setup({ orders: [buildChannelOrder()] });
      failNext('transitionBatchRequest');
      await expect(service.fetchAndCreateOrder()).rejects.toBeInstanceOf(OmnitronError);
      const [batch] = store.batchRequests.values();
      expect(batch?.status).toBe('fail');
      // The order reached Omnitron before the commit failed; the next run links it without creating it again.
      const rerun = await service.fetchAndCreateOrder();
      expect(rerun.items[0]?.status).toBe('already_present');
      expect(store.orders.size).toBe(1);
      expect(
        store.listIntegrationActions({ contentType: 'order', objectIds: [...store.orders.keys()] }),
      ).toHaveLength(1);
    });

    it('creates nothing twice when run again', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder()];
      // A marketplace without acknowledgement offers the same orders every run.
      const { service, store } = await setup({ orders, acknowledges: false });
      await service.fetchAndCreateOrder();
      const again = await service.fetchAndCreateOrder();
      expect(again.items.map((i) => i.status)).toEqual(['already_present', 'already_present']);
      expect(again.counts).toMatchObject({ created: 0, skipped: 2 });
      expect(store.orders.size).toBe(2);
      expect(store.customers.size).toBe(2);
      expect(store.addresses.size).toBe(2);
    });

    it('writes success reports only with isSuccessLog', async () => {
      const quiet = await setup({ orders: [buildChannelOrder()] });
      await quiet.service.fetchAndCreateOrder();
      expect(quiet.store.errorReports).toEqual([]);

      const chatty = await setup({ orders: [buildChannelOrder()] });
      const result = await chatty.service.fetchAndCreateOrder({ isSuccessLog: true });
      expect(chatty.store.errorReports).toEqual([
        expect.objectContaining({
          isOk: true,
          actionContentType: 'order',
          actionObjectId: result.items[0]?.omnitronId,
          errorDescription: `CreateOrder: created as Omnitron order ${result.items[0]?.omnitronId}`,
        }),
      ]);
      expect(result.reports).toEqual({ sent: 1, failedToSend: 0 });
    });

    it('forwards the channel reports of an item: failures always, successes with isSuccessLog', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder()];
      const reportsFor = (_: unknown, index: number) => [
        { isOk: index === 0, rawRequest: 'GET /orders', rawResponse: index === 0 ? '200' : '500 upstream' },
      ];
      const quiet = await setup({ orders, reportsFor });
      await quiet.service.fetchAndCreateOrder();
      expect(quiet.store.errorReports.map((r) => [r.isOk, r.rawResponse])).toEqual([[false, '500 upstream']]);
      expect(quiet.store.errorReports[0]?.errorCode).toMatch(new RegExp(`-GetOrders-${orders[1]?.number}$`));

      const chatty = await setup({ orders: [buildChannelOrder()], reportsFor });
      await chatty.service.fetchAndCreateOrder({ isSuccessLog: true });
      expect(
        chatty.store.errorReports
          .filter((r) => r.errorDescription.startsWith('GetOrders: '))
          .map((r) => r.isOk),
      ).toEqual([true]);
    });

    it('keeps a failure to write a report from stopping the flow, and counts it', async () => {
      const { service, store, failNext } = await setup({
        orders: [buildChannelOrder({ cargoCompany: 'NONE' }), buildChannelOrder()],
      });
      failNext('createErrorReport');
      const result = await service.fetchAndCreateOrder();
      expect(result.reports).toEqual({ sent: 0, failedToSend: 1 });
      expect(store.orders.size).toBe(1);
    });

    it('throws a ChannelError when the marketplace stream breaks, closing the batch as fail', async () => {
      const orders = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
      const { service, store, channel } = await setup({ orders, failOrdersAfter: 1 });
      const error = await service.fetchAndCreateOrder().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChannelError);
      expect((error as ChannelError).message).toContain('502');
      expect([...store.batchRequests.values()].map((b) => b.status)).toEqual(['fail']);
      expect(channel.acknowledged).toEqual([]);
      expect(store.errorReports.filter((r) => !r.isOk)[0]?.rawResponse).toContain('CHANNEL_ERROR');

      channel.script.failOrdersAfter = undefined;
      const rerun = await service.fetchAndCreateOrder();
      expect(rerun.items.map((i) => i.status)).toEqual(['already_present', 'created', 'created']);
      expect(store.orders.size).toBe(3);
    });

    it('stops between orders when aborted and closes the batch as fail', async () => {
      const controller = new AbortController();
      const { service, store } = await setup({ orders: [buildChannelOrder(), buildChannelOrder()] });
      const error = await service
        .fetchAndCreateOrder({
          concurrency: 1,
          signal: controller.signal,
          onItem: () => controller.abort(new Error('shutdown')),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlowAbortedError);
      expect(store.orders.size).toBe(1);
      expect([...store.batchRequests.values()][0]?.status).toBe('fail');
    });

    it('refuses to run for an inactive channel, creating no batch', async () => {
      const { service, store } = await setup({ orders: [buildChannelOrder()] });
      store.channel.isActive = false;
      await expect(service.fetchAndCreateOrder()).rejects.toBeInstanceOf(ChannelInactiveError);
      expect(store.batchRequests.size).toBe(0);
    });

    it('counts an abort that comes while the last orders are in flight', async () => {
      const controller = new AbortController();
      const { service, store } = await setup({ orders: [buildChannelOrder(), buildChannelOrder()] });
      const error = await service
        .fetchAndCreateOrder({
          concurrency: 4,
          signal: controller.signal,
          onItem: () => controller.abort(new Error('shutdown')),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlowAbortedError);
      expect([...store.batchRequests.values()][0]?.status).toBe('fail');
    });

    it('creates a single order given directly with createOrder', async () => {
      const { service, store, channel } = await setup();
      const result = await service.createOrder(buildChannelOrder());
      expect(result.flow).toBe('createOrder');
      expect(result.items[0]?.status).toBe('created');
      expect(store.orders.size).toBe(1);
      expect(channel.acknowledged).toEqual([]);
      const invalid = await service.createOrder({ ...buildChannelOrder(), currency: '' });
      expect(invalid.items[0]?.error).toBeInstanceOf(InvalidPayloadError);
    });

    it('keeps secrets out of error reports', async () => {
      const secret = 'mkt-api-key-123456';
      const reportsFor = () => [
        { isOk: false, rawRequest: `GET /orders?api_key=${secret}`, rawResponse: '{"token": "abcdefgh"}' },
      ];
      const { service, store } = await setup(
        { orders: [buildChannelOrder()], reportsFor },
        { secrets: [secret] },
      );
      await service.fetchAndCreateOrder();
      const text = JSON.stringify(store.errorReports);
      expect(text).not.toContain(secret);
      expect(text).not.toContain('abcdefgh');
      expect(text).toContain('[REDACTED]');
    });
  });
});

/** Creates the order in the shared store the way a concurrent worker would. */
/** An order another worker created whose batch never ended `done` (every transition refused): not linked. */
async function createUnlinked(store: OmnitronStore, order: ChannelOrderInput): Promise<void> {
  const omnitron = new InMemoryOmnitron({ store });
  omnitron.failNext('transitionBatchRequest', { times: 10 });
  await new OrderService({ omnitron, channel: new ScriptedChannel() })
    .createOrder(order)
    .catch(() => undefined);
}

async function createAsAnotherWorker(store: OmnitronStore, order: ChannelOrderInput): Promise<void> {
  const other = new OrderService({
    omnitron: new InMemoryOmnitron({ store }),
    channel: new ScriptedChannel(),
  });
  await other.createOrder(order);
}
