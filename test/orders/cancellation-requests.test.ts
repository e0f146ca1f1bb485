import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, ReasonNotMappedError, RemoteRejectedError } from '../../src/index.js';
import { buildCancellationRequest, buildChannelOrder } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

forEachBackend((setup) => {
  async function withImportedOrder() {
    const order = buildChannelOrder({
      items: [
        { remoteId: 'ONE', product: 'PROD-1', price: '1', taxRate: '0' },
        { remoteId: 'TWO', product: 'PROD-2', price: '1', taxRate: '0', quantity: 2 },
      ],
    });
    const env = await setup({ orders: [order] });
    await env.service.fetchAndCreateOrder();
    return { ...env, order };
  }

  describe('fetchAndCreateCancellationRequests', () => {
    it('creates each request with the mapped reason, links it, and creates nothing twice', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      const request = buildCancellationRequest(order, { reason: 'DAMAGED', cancellationType: 'refund' });
      channel.script.cancellationRequests = [request];

      const result = await service.fetchAndCreateCancellationRequests();

      expect(result.items[0]?.status).toBe('created');
      expect(result.batchRequest?.status).toBe('done');
      const [stored] = store.cancellationRequests.values();
      expect(stored).toMatchObject({
        reason: 3,
        remoteId: request.remoteId,
        cancellationType: 'refund',
        status: 'waiting',
      });
      expect(
        store.listIntegrationActions({ contentType: 'cancellationrequest', remoteIds: [request.remoteId] }),
      ).toHaveLength(1);

      const again = await service.fetchAndCreateCancellationRequests();
      expect(again.items[0]?.status).toBe('already_present');
      expect(store.cancellationRequests.size).toBe(1);
    });

    it('fails a request with an unmapped reason, or for more units than its line has', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      channel.script.cancellationRequests = [
        buildCancellationRequest(order, { reason: 'WEATHER' }),
        buildCancellationRequest(order, { orderItem: 'TWO', quantity: 3 }),
      ];
      const result = await service.fetchAndCreateCancellationRequests();
      expect(result.items[0]?.error).toBeInstanceOf(ReasonNotMappedError);
      const tooMany = result.items[1]?.error as InvalidPayloadError | undefined;
      expect(tooMany).toBeInstanceOf(InvalidPayloadError);
      expect(tooMany?.issues).toEqual([
        { path: 'quantity', message: 'is 3, but line "TWO" has 2 units in Omnitron' },
      ]);
      expect(store.cancellationRequests.size).toBe(0);
    });

    for (const quantity of [1, 2, 3]) {
      it(`maps a request for ${quantity} of 3 units to ${quantity} Omnitron requests on distinct units, once`, async () => {
        const order = buildChannelOrder({
          items: [{ remoteId: 'LINE', product: 'PROD-1', price: '1', taxRate: '0', quantity: 3 }],
        });
        const { service, store, channel } = await setup({ orders: [order] });
        await service.fetchAndCreateOrder();
        const request = buildCancellationRequest(order, { orderItem: 'LINE', quantity });
        channel.script.cancellationRequests = [request];

        const result = await service.fetchAndCreateCancellationRequests();

        expect(result.items.map((i) => [i.key, i.status])).toEqual([[request.remoteId, 'created']]);
        const created = [...store.cancellationRequests.values()];
        expect(created).toHaveLength(quantity);
        expect(new Set(created.map((r) => r.orderItem)).size).toBe(quantity);
        const units = [...store.orderItems.values()].map((item) => item.id).sort((a, b) => a - b);
        expect(created.map((r) => r.orderItem).sort((a, b) => a - b)).toEqual(units.slice(0, quantity));
        const again = await service.fetchAndCreateCancellationRequests();
        expect(again.items[0]?.status).toBe('already_present');
        expect(store.cancellationRequests.size).toBe(quantity);

        // Each unit's request is updated on its own, in the marketplace's terms.
        for (const stored of created) store.setCancellationRequestStatus(stored.id, 'approved');
        const updated = await service.updateCancellationRequests();
        expect(updated.items.map((i) => [i.key, i.status])).toEqual(
          Array.from({ length: quantity }, () => [request.remoteId, 'updated']),
        );
        const sent = channel.cancellationUpdates.map((u) => [
          u.request.remoteId,
          u.request.orderItem,
          u.request.unit,
        ]);
        expect(sent).toEqual(
          Array.from({ length: quantity }, (_, i) => [
            request.remoteId,
            'LINE',
            quantity === 1 ? null : { index: i + 1, of: quantity },
          ]),
        );
      });
    }

    it('puts a request for some units of a line on units not cancelled yet', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      // The lower of line TWO's two units is cancelled already.
      const two = [...store.orderItems.values()].filter((item) => item.extraField?.id === 'TWO');
      expect(two).toHaveLength(2);
      const lower = Math.min(...two.map((item) => item.id));
      const unit = store.orderItems.get(lower);
      if (unit) store.orderItems.set(lower, { ...unit, status: '100' });
      channel.script.cancellationRequests = [
        buildCancellationRequest(order, { orderItem: 'TWO', quantity: 1 }),
      ];

      const result = await service.fetchAndCreateCancellationRequests();

      expect(result.items[0]?.status).toBe('created');
      const [created] = store.cancellationRequests.values();
      expect(created?.orderItem).toBe(Math.max(...two.map((item) => item.id)));
    });
  });

  describe('updateCancellationRequests', () => {
    it('tells the marketplace about changed requests in its own ids and reason codes', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      const request = buildCancellationRequest(order, { reason: 'OUT_OF_STOCK' });
      channel.script.cancellationRequests = [request];
      await service.fetchAndCreateCancellationRequests();
      const [stored] = store.cancellationRequests.values();
      store.setCancellationRequestStatus(stored?.id ?? 0, 'approved');

      const result = await service.updateCancellationRequests();

      expect(channel.cancellationUpdates).toHaveLength(1);
      expect(channel.cancellationUpdates[0]?.request).toMatchObject({
        remoteId: request.remoteId,
        orderItem: 'ONE',
        reason: 'OUT_OF_STOCK',
        status: 'approved',
      });
      expect(result.items[0]?.status).toBe('updated');
      expect(result.batchRequest?.status).toBe('done');
      expect(store.listCancellationRequestUpdates()).toEqual([]);
    });

    it('records a refusal as failed_reason_type remote and offers the request again', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      channel.script.cancellationRequests = [buildCancellationRequest(order)];
      channel.script.updateCancellationRequest = () => ({ status: 'FAIL', message: 'already shipped' });
      await service.fetchAndCreateCancellationRequests();
      const [stored] = store.cancellationRequests.values();
      store.setCancellationRequestStatus(stored?.id ?? 0, 'rejected');

      const result = await service.updateCancellationRequests();

      expect(result.items[0]?.status).toBe('failed');
      expect(result.items[0]?.error).toBeInstanceOf(RemoteRejectedError);
      expect(result.items[0]?.error?.message).toContain('already shipped');
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch?.status).toBe('done');
      expect(batch?.objects?.[0]?.failedReasonType).toBe('remote');
      expect(store.listCancellationRequestUpdates()).toHaveLength(1);
    });

    it('fails a request whose answer carries unusable reports as INVALID_PAYLOAD, reason channel_app', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      channel.script.cancellationRequests = [buildCancellationRequest(order)];
      channel.script.updateCancellationRequest = () => ({ status: 'SUCCESS', reports: 'oops' }) as never;
      await service.fetchAndCreateCancellationRequests();
      const [stored] = store.cancellationRequests.values();
      store.setCancellationRequestStatus(stored?.id ?? 0, 'approved');

      const result = await service.updateCancellationRequests();

      const error = result.items[0]?.error as InvalidPayloadError;
      expect(error).toBeInstanceOf(InvalidPayloadError);
      expect(error.issues.map((i) => i.path)).toEqual(['reports']);
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch?.objects?.[0]?.failedReasonType).toBe('channel_app');
      expect(store.listCancellationRequestUpdates()).toHaveLength(1);
    });

    it('records a request it cannot put in marketplace terms as failed_reason_type mapping', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      channel.script.cancellationRequests = [buildCancellationRequest(order)];
      await service.fetchAndCreateCancellationRequests();
      const [stored] = store.cancellationRequests.values();
      // A reason no marketplace code maps to.
      store.setCancellationRequestStatus(stored?.id ?? 0, 'approved');
      if (stored) store.cancellationRequests.set(stored.id, { ...stored, reason: 999_999 });

      const result = await service.updateCancellationRequests();

      expect(result.items[0]?.error).toBeInstanceOf(ReasonNotMappedError);
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch?.objects?.[0]?.failedReasonType).toBe('mapping');
      expect(channel.cancellationUpdates).toHaveLength(0);
    });

    it('ends an idle run done, not fail', async () => {
      const { service } = await setup();
      const result = await service.updateCancellationRequests();
      expect(result.batchRequest?.status).toBe('done');
      expect(result.counts.fetched).toBe(0);
    });
  });
});
