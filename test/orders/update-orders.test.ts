import { describe, expect, it } from 'vitest';
import {
  ChannelError,
  ChannelIntegration,
  InvalidPayloadError,
  NotSupportedError,
  OmnitronAuthError,
  OrderService,
  RemoteRejectedError,
} from '../../src/index.js';
import type { ChannelScript } from '../../src/testing/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

forEachBackend((setup) => {
  /** Imports orders, then changes them in Omnitron so they join the update feed. */
  async function importedAndChanged(count: number, script: ChannelScript = {}) {
    const orders = Array.from({ length: count }, () => buildChannelOrder());
    const env = await setup({ ...script, orders });
    await env.service.fetchAndCreateOrder();
    for (const order of env.store.orders.values()) env.store.touchOrder(order.id, { status: '500' });
    return { ...env, orders };
  }

  describe('updateOrders (sync)', () => {
    it('sends changed orders with their marketplace ids and items, and finishes the batch', async () => {
      const { service, store, channel, orders } = await importedAndChanged(2);

      const result = await service.updateOrders();

      expect(channel.sent).toHaveLength(1);
      const sent = channel.sent[0];
      expect(sent?.isSync).toBe(true);
      expect(sent?.orders.map((o) => o.remoteId)).toEqual(orders.map((o) => o.remoteId));
      expect(sent?.orders[0]?.items).toHaveLength(1);
      expect(result.counts).toMatchObject({ fetched: 2, updated: 2, failed: 0 });
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch?.status).toBe('done');
      expect(batch?.objects?.every((o) => o.failedReasonType === null)).toBe(true);
      // Sent versions are recorded: nothing is left to send.
      expect(store.listOrdersAwaitingUpdate()).toEqual([]);
      const again = await service.updateOrders();
      expect(again.counts.fetched).toBe(0);
      expect(again.batchRequest?.status).toBe('done');
    });

    it('records refused and missing orders as failed with a reason, and offers them again next run', async () => {
      const { service, store, orders } = await importedAndChanged(3, {
        sendUpdatedOrders: ({ orders: sent }) => ({
          status: 'done',
          results: [
            { status: 'SUCCESS', number: sent[0]?.remoteId ?? '' },
            { status: 'FAIL', number: sent[1]?.remoteId ?? '', message: 'invalid tracking number' },
          ],
        }),
      });

      const result = await service.updateOrders();

      expect(result.items.map((i) => i.status)).toEqual(['updated', 'failed', 'failed']);
      expect(result.items[1]?.error).toBeInstanceOf(RemoteRejectedError);
      expect(result.items[1]?.error?.message).toContain('invalid tracking number');
      expect(result.items[2]?.error?.message).toContain('no result');
      const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
      expect(batch?.status).toBe('done');
      expect(batch?.objects?.map((o) => o.failedReasonType)).toEqual([null, 'remote', 'channel_app']);
      const reports = store.errorReports.filter((r) => !r.isOk);
      expect(reports.map((r) => r.actionContentType)).toEqual(['order', 'order']);
      expect(store.listOrdersAwaitingUpdate().map((o) => o.number)).toEqual([
        orders[1]?.number,
        orders[2]?.number,
      ]);
    });

    it('keeps each order linked to its import id, whatever id the marketplace gives the update', async () => {
      const { service, store, channel, orders } = await importedAndChanged(1);
      await service.updateOrders();
      const order = orders[0] ?? buildChannelOrder();
      const [link] = store.listIntegrationActions({
        contentType: 'order',
        objectIds: [store.findOrderByNumber(order.number)?.id ?? 0],
      });
      expect(link?.remoteId).toBe(order.remoteId);
      channel.script.cancelledOrders = [{ order: order.remoteId, cancelItems: [order.items[0]?.remoteId] }];
      expect((await service.fetchAndCreateCancel()).items[0]?.status).toBe('created');
    });

    it('matches results by order number when the marketplace uses it', async () => {
      const { service } = await importedAndChanged(1, {
        sendUpdatedOrders: ({ orders: sent }) => ({
          status: 'done',
          results: sent.map((o) => ({ status: 'SUCCESS', number: o.order.number })),
        }),
      });
      expect((await service.updateOrders()).counts.updated).toBe(1);
    });

    it('fails each order, naming the field, when the marketplace answers nonsense, and keeps them waiting', async () => {
      const { service, store } = await importedAndChanged(1, {
        sendUpdatedOrders: () => ({ status: 'done', results: [{ status: 'MAYBE', number: 'x' }] }) as never,
      });
      const result = await service.updateOrders();
      const [outcome] = result.items;
      expect(outcome?.status).toBe('failed');
      expect(outcome?.error).toBeInstanceOf(InvalidPayloadError);
      expect((outcome?.error as InvalidPayloadError | undefined)?.issues.map((i) => i.path)).toEqual([
        'results.0.status',
      ]);
      expect(result.reports.sent).toBe(1);
      expect(result.batchRequest?.status).toBe('done');
      // Recorded as failed, not as sent: the order is still waiting for the next run.
      expect(store.listOrdersAwaitingUpdate()).toHaveLength(1);
    });

    it('refuses an asynchronous answer without the job id to poll', async () => {
      const { service, store } = await importedAndChanged(1, {
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: ' ' }),
      });
      const result = await service.updateOrders();
      expect(result.counts.failed).toBe(1);
      expect((result.items[0]?.error as InvalidPayloadError | undefined)?.issues.map((i) => i.path)).toEqual([
        'remoteBatchId',
      ]);
      expect(result.batchRequest?.status).toBe('done');
      expect(store.listOrdersAwaitingUpdate()).toHaveLength(1);
    });

    it('refuses reports that are not a list of reports', async () => {
      const { service } = await importedAndChanged(1, {
        sendUpdatedOrders: ({ orders: sent }) =>
          ({
            status: 'done',
            results: sent.map((o) => ({ status: 'SUCCESS', number: o.order.number })),
            reports: 'oops',
          }) as never,
      });
      const result = await service.updateOrders();
      expect(result.items[0]?.error?.code).toBe('INVALID_PAYLOAD');
      expect((result.items[0]?.error as InvalidPayloadError | undefined)?.issues.map((i) => i.path)).toEqual([
        'reports',
      ]);
    });

    it('holds the orders it is sending, so a parallel run cannot send them too', async () => {
      let parallel: Awaited<ReturnType<OrderService['updateOrders']>> | undefined;
      const { service, store, omnitron, channel } = await importedAndChanged(1, {
        sendUpdatedOrders: async ({ orders: sent }) => {
          parallel = await new OrderService({ omnitron, channel })
            .updateOrders()
            .catch((e: unknown) => e as never);
          return {
            status: 'done',
            results: sent.map((o) => ({ status: 'SUCCESS', number: o.remoteId ?? '' })),
          };
        },
      });
      await service.updateOrders();
      expect(parallel?.counts.fetched).toBe(0);
      expect(channel.sent).toHaveLength(1);
      expect(store.listOrdersAwaitingUpdate()).toEqual([]);
    });
  });

  describe('updateOrders (async) and getOrderBatchRequests', () => {
    it('moves the batch to sent_to_remote, then polls it through ongoing to done', async () => {
      let ready = false;
      const { service, store, channel } = await importedAndChanged(2, {
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-7' }),
        checkOrders: ({ orders }) =>
          ready
            ? {
                status: 'done',
                results: orders.map((o, i) => ({
                  status: i === 0 ? 'SUCCESS' : 'FAIL',
                  number: o.remoteId ?? '',
                  message: 'out of stock',
                })),
              }
            : { status: 'ongoing' },
      });

      const sent = await service.updateOrders({ isSync: false });
      expect(channel.sent[0]?.isSync).toBe(false);
      expect(sent.batchRequest).toMatchObject({ status: 'sent_to_remote', remoteBatchId: 'JOB-7' });
      expect(sent.items.map((i) => i.status)).toEqual(['sent', 'sent']);
      const id = sent.batchRequest?.id ?? 0;
      // While the marketplace works, the orders are not offered to another update run.
      expect(store.listOrdersAwaitingUpdate()).toEqual([]);

      const first = await service.getOrderBatchRequests();
      expect(first.batchRequest).toBeNull();
      expect(first.batchRequests).toEqual([expect.objectContaining({ id, status: 'ongoing' })]);
      expect(first.items.map((i) => i.status)).toEqual(['ongoing', 'ongoing']);
      expect(channel.checked[0]?.remoteBatchId).toBe('JOB-7');
      expect(channel.checked[0]?.orders).toHaveLength(2);

      const second = await service.getOrderBatchRequests();
      expect(second.batchRequests[0]?.status).toBe('ongoing');

      ready = true;
      const third = await service.getOrderBatchRequests();
      expect(third.items.map((i) => [i.status, i.batchRequestId])).toEqual([
        ['updated', id],
        ['failed', id],
      ]);
      expect(store.batchRequests.get(id)?.status).toBe('done');
      expect(store.batchRequests.get(id)?.objects?.map((o) => o.failedReasonType)).toEqual([null, 'remote']);
      expect((await service.getOrderBatchRequests()).batchRequests).toEqual([]);
    });

    it('finishes at once when the marketplace answers synchronously despite isSync false', async () => {
      const { service } = await importedAndChanged(1);
      const result = await service.updateOrders({ isSync: false });
      expect(result.batchRequest?.status).toBe('done');
    });

    it('leaves a batch whose poll fails for the next run and goes on with the others', async () => {
      let calls = 0;
      const { service, store } = await importedAndChanged(1, {
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
        checkOrders: ({ orders }) => {
          calls += 1;
          if (calls === 1) throw new Error('marketplace timeout');
          return {
            status: 'done',
            results: orders.map((o) => ({ status: 'SUCCESS', number: o.remoteId ?? '' })),
          };
        },
      });
      const { batchRequest } = await service.updateOrders({ isSync: false });
      const failed = await service.getOrderBatchRequests();
      expect(failed.items[0]?.error).toBeInstanceOf(ChannelError);
      expect(store.batchRequests.get(batchRequest?.id ?? 0)?.status).toBe('sent_to_remote');
      const retried = await service.getOrderBatchRequests();
      expect(retried.items[0]?.status).toBe('updated');
      expect(store.batchRequests.get(batchRequest?.id ?? 0)?.status).toBe('done');
    });

    it('leaves a batch whose poll answer is unusable for the next run, naming the field', async () => {
      const { service, store } = await importedAndChanged(1, {
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
        checkOrders: () => ({ status: 'done', results: 'later' }) as never,
      });
      const { batchRequest } = await service.updateOrders({ isSync: false });
      const polled = await service.getOrderBatchRequests();
      const error = polled.items[0]?.error as InvalidPayloadError;
      expect(polled.items[0]?.key).toBe(`batch ${batchRequest?.id}`);
      expect(error).toBeInstanceOf(InvalidPayloadError);
      expect(error.issues.map((i) => i.path)).toEqual(['results']);
      expect(store.batchRequests.get(batchRequest?.id ?? 0)?.status).toBe('sent_to_remote');
    });

    it('ends the poll at once when Omnitron refuses the credentials, like every other flow', async () => {
      const { service, store, omnitron } = await importedAndChanged(2, {
        sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: 'JOB-1' }),
      });
      await service.updateOrders({ isSync: false });
      await service.updateOrders({ isSync: false });
      let polls = 0;
      // Omnitron as it is, except that reading orders is refused as a revoked token would be.
      const refusing = new Proxy(omnitron, {
        get(target, property) {
          if (property === 'getOrders')
            return async () => {
              polls += 1;
              throw new OmnitronAuthError('token refused', {
                http: { method: 'GET', path: 'orders/', status: 401 },
              });
            };
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const channel = new ScriptedChannel({ checkOrders: () => ({ status: 'ongoing' }) });
      const error = await new OrderService({ omnitron: refusing, channel })
        .getOrderBatchRequests()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OmnitronAuthError);
      expect(polls).toBe(1);
      expect(store.listOrdersAwaitingUpdate()).toEqual([]);
    });

    it('says clearly when the channel cannot poll', async () => {
      class PushOnly extends ChannelIntegration {
        override async *getOrders() {}
        override async sendUpdatedOrders() {
          return { status: 'done' as const, results: [] };
        }
      }
      const service = new OrderService({ omnitron: new InMemoryOmnitron(), channel: new PushOnly() });
      const error = await service.getOrderBatchRequests().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as Error).message).toBe(
        'checkOrders is not supported by this channel (PushOnly); override it in your ChannelIntegration subclass to use it',
      );
    });
  });
});
