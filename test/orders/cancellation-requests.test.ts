import { describe, expect, it } from 'vitest';
import {
  AmbiguousMappingError,
  InvalidPayloadError,
  ReasonNotMappedError,
  RemoteRejectedError,
} from '../../src/index.js';
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

    it('fails a request for a line with several units, or with an unmapped reason', async () => {
      const { service, store, channel, order } = await withImportedOrder();
      channel.script.cancellationRequests = [
        buildCancellationRequest(order, { orderItem: 'TWO' }),
        buildCancellationRequest(order, { reason: 'WEATHER' }),
      ];
      const result = await service.fetchAndCreateCancellationRequests();
      expect(result.items[0]?.error).toBeInstanceOf(AmbiguousMappingError);
      expect(result.items[1]?.error).toBeInstanceOf(ReasonNotMappedError);
      expect(store.cancellationRequests.size).toBe(0);
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
