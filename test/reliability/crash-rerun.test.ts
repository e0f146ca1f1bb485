import { describe, expect, it } from 'vitest';
import { ChannelError, FlowAbortedError } from '../../src/index.js';
import { buildChannelOrder, type OmnitronStore } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

const ORDERS = 12;
const POINTS = [0, 1, 4, 7, 11];

function assertComplete(store: OmnitronStore, orders: ReturnType<typeof buildChannelOrder>[]): void {
  for (const order of orders) {
    const stored = [...store.orders.values()].filter((o) => o.number === order.number);
    expect(stored, order.number).toHaveLength(1);
    expect(store.listIntegrationActions({ contentType: 'order', remoteIds: [order.remoteId] })).toHaveLength(
      1,
    );
  }
  expect(store.orders.size).toBe(orders.length);
  expect(
    [...store.batchRequests.values()].filter((b) =>
      ['commit', 'sent_to_remote', 'ongoing'].includes(b.status),
    ),
  ).toEqual([]);
}

forEachBackend((setup) => {
  describe('crash and re-run', () => {
    for (const point of POINTS) {
      it(`finishes the work after an abort at order ${point}, duplicating nothing`, async () => {
        const orders = Array.from({ length: ORDERS }, () => buildChannelOrder());
        const { service, store, channel } = await setup({ orders }, { staleBatchAfter: 0 });
        const controller = new AbortController();
        let seen = 0;
        const error = await service
          .fetchAndCreateOrder({
            concurrency: 3,
            commitEvery: 2,
            batchSize: 5,
            signal: controller.signal,
            onItem: () => {
              seen += 1;
              if (seen > point) controller.abort(new Error('deploy'));
            },
          })
          .catch((e: unknown) => e);
        if (point < ORDERS - 1) expect(error).toBeInstanceOf(FlowAbortedError);
        await service.fetchAndCreateOrder({ concurrency: 3 });
        assertComplete(store, orders);
        expect(new Set(channel.acknowledged.map((a) => a.remoteId)).size).toBe(ORDERS);
      });

      it(`finishes the work after the marketplace stream breaks at order ${point}`, async () => {
        const orders = Array.from({ length: ORDERS }, () => buildChannelOrder());
        const { service, store, channel } = await setup(
          { orders, failOrdersAfter: point },
          { staleBatchAfter: 0 },
        );
        await expect(
          service.fetchAndCreateOrder({ concurrency: 3, commitEvery: 2, batchSize: 5 }),
        ).rejects.toBeInstanceOf(ChannelError);
        channel.script.failOrdersAfter = undefined;
        await service.fetchAndCreateOrder({ concurrency: 3 });
        assertComplete(store, orders);
      });
    }

    it('closes a batch a killed run left in commit, so the next run is not blocked', async () => {
      const orders = Array.from({ length: 4 }, () => buildChannelOrder());
      const { service, store, omnitron } = await setup({ orders }, { staleBatchAfter: 0 });
      // A run that died between commit and done: its batch holds the commit lock for orders.
      const abandoned = await omnitron.createBatchRequest('order');
      await omnitron.transitionBatchRequest(abandoned.id, {
        status: 'commit',
        contentType: 'order',
        objects: [],
      });
      const result = await service.fetchAndCreateOrder();
      expect(result.counts.created).toBe(4);
      expect(store.batchRequests.get(abandoned.id)?.status).toBe('fail');
      assertComplete(store, orders);
    });

    it('waits for another run to leave commit, then commits: overlapping runs take turns', async () => {
      const { service, store, omnitron } = await setup(
        { orders: [buildChannelOrder()] },
        { commitLockWait: 10_000 },
      );
      const live = await omnitron.createBatchRequest('order');
      await omnitron.transitionBatchRequest(live.id, { status: 'commit', contentType: 'order', objects: [] });
      const finishLive = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        omnitron.transitionBatchRequest(live.id, { status: 'done', objects: [] }),
      );
      const result = await service.fetchAndCreateOrder();
      await finishLive;
      expect(result.counts.created).toBe(1);
      expect(result.batchRequest?.status).toBe('done');
      expect(store.batchRequests.get(live.id)?.status).toBe('done');
    });

    it('leaves a recent batch in commit alone: it may belong to a live run', async () => {
      const { service, store, omnitron } = await setup(
        { orders: [buildChannelOrder()] },
        { staleBatchAfter: 60_000, commitLockWait: 300 },
      );
      const live = await omnitron.createBatchRequest('order');
      await omnitron.transitionBatchRequest(live.id, { status: 'commit', contentType: 'order', objects: [] });
      await expect(service.fetchAndCreateOrder()).rejects.toThrow(/commit lock|refused/);
      expect(store.batchRequests.get(live.id)?.status).toBe('commit');
    });
  });
});
