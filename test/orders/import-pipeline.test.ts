import { describe, expect, it } from 'vitest';
import {
  BatchTransitionError,
  ChannelAppError,
  type ChannelOrderInput,
  FlowAbortedError,
  type ItemOutcome,
  OmnitronError,
  type OmnitronIntegration,
} from '../../src/index.js';
import { buildChannelOrder, InMemoryOmnitron, type OmnitronStore } from '../../src/testing/index.js';
import { type Env, failureReports, forEachBackend, recordUnhandledRejections } from '../support.js';

/**
 * An import finishes a full batch (its items read, commit, `done`, acknowledgement) in the background
 * while the next chunk's orders go to the next batch. These tests hold Omnitron's answers to batch
 * transitions back to make the overlap happen, and check the rules it must keep.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Decides whether (and until when) Omnitron holds back its answer to a batch transition. */
type Hold = (id: number, status: string) => Promise<void> | undefined;

/**
 * Omnitron's batch transitions as a run asks for them, seen from the wire side of the port: each one when
 * asked and when answered, the commits asked while another batch of the run was in `commit` (Omnitron's
 * lock: one batch per content type), and the most batches with a transition in flight at once.
 */
class BatchWatch {
  readonly events: string[];
  readonly overlaps: string[] = [];
  maxBusy = 0;
  readonly #inCommit = new Set<number>();
  readonly #busy = new Set<number>();

  constructor(omnitron: OmnitronIntegration, hold: Hold = () => undefined, events: string[] = []) {
    this.events = events;
    const transition = omnitron.transitionBatchRequest.bind(omnitron);
    omnitron.transitionBatchRequest = async (id, change) => {
      const { status } = change;
      if (status === 'commit')
        for (const other of this.#inCommit)
          if (other !== id) this.overlaps.push(`${id} committed while ${other} was in commit`);
      this.#busy.add(id);
      this.maxBusy = Math.max(this.maxBusy, this.#busy.size);
      this.events.push(`${status} ${id} asked`);
      try {
        await hold(id, status);
        const answer = await transition(id, change);
        if (status === 'commit') this.#inCommit.add(id);
        else this.#inCommit.delete(id);
        this.events.push(`${status} ${id} answered`);
        return answer;
      } finally {
        this.#busy.delete(id);
      }
    };
  }

  /** Where an event happened, failing the test when it never did. */
  indexOf(event: string): number {
    const index = this.events.indexOf(event);
    if (index < 0) throw new Error(`no "${event}" in ${this.events.join(', ')}`);
    return index;
  }
}

/** An `onItem` hook noting each order recorded in `events`, and a promise resolved at the `count`th. */
function afterItems(events: string[], count: number) {
  let seen = 0;
  let reached = () => {};
  const promise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const onItem = (outcome: ItemOutcome) => {
    seen += 1;
    events.push(`order recorded (${outcome.key})`);
    if (seen >= count) reached();
  };
  // Should the import never get there (a serial one would not, while its batch waits), go on all the same.
  return { onItem, reached: Promise.race([promise, sleep(1500)]) };
}

/** Holds the first transition of `status` back until `until` settles. */
function holdFirst(status: string, until: () => Promise<void>): Hold {
  let held = false;
  return (_id, asked) => {
    if (asked !== status || held) return undefined;
    held = true;
    return until();
  };
}

/** The batch requests Omnitron holds, oldest first. */
const batchesOf = (store: OmnitronStore) => [...store.batchRequests.values()];

/** The failure reports written under a batch request. */
const reportsUnder = (env: Env, localBatchId: string | undefined) =>
  failureReports(env.store).filter((r) => localBatchId && r.errorCode.startsWith(localBatchId));

/** Rejections nobody handled while a test ran. */
const unhandled = recordUnhandledRejections();

forEachBackend((setup) => {
  describe('an import finishing full batches in the background', () => {
    it("records the next chunk's orders in the next batch while the full one is still finishing", async () => {
      const orders = Array.from({ length: 12 }, () => buildChannelOrder());
      const env = await setup({ orders });
      const events: string[] = [];
      const { onItem, reached } = afterItems(events, 7);
      const watch = new BatchWatch(
        env.omnitron,
        holdFirst('done', () => reached),
        events,
      );
      const result = await env.service.fetchAndCreateOrder({ batchSize: 5, concurrency: 4, onItem });

      const [first, second] = result.batchRequests;
      // Orders 6 and 7 went to the second batch before Omnitron answered the first one's `done`.
      const seventh = watch.indexOf(`order recorded (${orders[6]?.number})`);
      expect(seventh).toBeLessThan(watch.indexOf(`done ${first?.id} answered`));
      expect(result.items[5]?.batchRequestId).toBe(second?.id);
      expect(result.batchRequests.map((b) => b.status)).toEqual(['done', 'done', 'done']);
      expect(result.acknowledged).toBe(12);
    });

    // One commit per batch, made as it finishes; and mid-batch commits (every 2 orders) besides.
    it.each([
      { batchSize: 4, commitEvery: 50 },
      { batchSize: 4, commitEvery: 2 },
    ])(
      'lets one batch finish at a time, and commits nothing while another batch of the run is in commit ($batchSize, $commitEvery)',
      async (sizes) => {
        const orders = Array.from({ length: 20 }, () => buildChannelOrder());
        const env = await setup({ orders });
        // Every `done` answered late: without the rules the next batch's commits would overtake it.
        const watch = new BatchWatch(env.omnitron, (_id, status) =>
          status === 'done' ? sleep(50) : undefined,
        );
        const result = await env.service.fetchAndCreateOrder({ ...sizes, concurrency: 4 });

        expect(watch.overlaps).toEqual([]);
        expect(watch.maxBusy).toBe(1);
        expect(result.counts.created).toBe(20);
        // 20 orders in batches of 4: five batch requests, none empty after the last full one.
        expect(result.batchRequests.map((b) => b.status)).toEqual(Array(5).fill('done'));
        expect(batchesOf(env.store)).toHaveLength(5);
        for (const order of orders) {
          const [link] = env.store.listIntegrationActions({
            contentType: 'order',
            remoteIds: [order.remoteId],
          });
          expect(link?.objectId, order.number).toBe(env.store.findOrderByNumber(order.number)?.id);
        }
      },
    );

    it('acknowledges exactly the orders of a batch, and only once that batch is done and they are linked', async () => {
      const orders: ChannelOrderInput[] = Array.from({ length: 17 }, (_, i) =>
        i % 6 === 2 ? buildChannelOrder({ cargoCompany: 'NOPE' }) : buildChannelOrder(),
      );
      const env = await setup({ orders });
      new BatchWatch(env.omnitron, (_id, status) => (status === 'done' ? sleep(5) : undefined));
      const acknowledging: {
        batch: number;
        status: string | undefined;
        remoteIds: string[];
        linked: number;
      }[] = [];
      const acknowledge = env.channel.acknowledgeOrders.bind(env.channel);
      env.channel.acknowledgeOrders = async (input) => {
        const remoteIds = input.orders.map((o) => String(o.remoteId));
        acknowledging.push({
          batch: input.batchRequest.id,
          status: env.store.batchRequests.get(input.batchRequest.id)?.status,
          remoteIds,
          linked: env.store.listIntegrationActions({ contentType: 'order', remoteIds }).length,
        });
        return acknowledge(input);
      };

      const result = await env.service.fetchAndCreateOrder({ batchSize: 5, concurrency: 4 });

      expect(result.counts).toMatchObject({ created: 14, failed: 3 });
      expect(result.batchRequests.map((b) => b.status)).toEqual(Array(4).fill('done'));
      expect(result.acknowledged).toBe(14);
      const imported = (batch: number) =>
        result.items
          .filter((i) => i.batchRequestId === batch && i.status !== 'failed')
          .map((i) => i.remoteId);
      expect(acknowledging.map((a) => a.batch)).toEqual(result.batchRequests.map((b) => b.id));
      for (const call of acknowledging) {
        expect(call.status).toBe('done');
        expect(call.linked).toBe(call.remoteIds.length);
        expect(call.remoteIds).toEqual(imported(call.batch));
      }
    });

    it('fails the run when a background finish fails, closing that batch and the one opened meanwhile as fail', async () => {
      const orders = Array.from({ length: 10 }, () => buildChannelOrder());
      const env = await setup({ orders });
      const events: string[] = [];
      const { onItem, reached } = afterItems(events, 7);
      // The first batch's commit (made as it finishes, in the background) fails once orders 6 and 7 went to
      // the second batch.
      new BatchWatch(
        env.omnitron,
        holdFirst('commit', () => reached),
      );
      env.failNext('transitionBatchRequest');

      const error = await env.service
        .fetchAndCreateOrder({ batchSize: 5, concurrency: 2, onItem })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OmnitronError);
      const batches = batchesOf(env.store);
      expect(batches.map((b) => b.status)).toEqual(['fail', 'fail']);
      // Each says why, with the error the run failed with.
      for (const batch of batches) {
        const reports = reportsUnder(env, batch.localBatchId);
        expect(reports.map((r) => r.rawResponse).join(), `batch ${batch.id}`).toContain(
          (error as OmnitronError).code,
        );
      }
      expect(env.channel.acknowledged).toEqual([]);
      await sleep(0);
      expect(unhandled).toEqual([]);

      // Nothing is lost: the next run links the orders it finds and creates the rest.
      const rerun = await env.service.fetchAndCreateOrder({ batchSize: 5 });
      expect(rerun.counts.created + rerun.counts.skipped).toBe(10);
      expect(env.store.orders.size).toBe(10);
    });

    it('fails the run with the refusal when another batch holds the commit lock past commitLockWait', async () => {
      const orders = Array.from({ length: 8 }, () => buildChannelOrder());
      const env = await setup({ orders }, { commitLockWait: 30 });
      const events: string[] = [];
      const { onItem, reached } = afterItems(events, 7);
      new BatchWatch(
        env.omnitron,
        holdFirst('commit', () => reached),
      );
      // Another process's batch sits in `commit` (fresh, so no stale-batch sweep closes it).
      const holder = env.store.createBatchRequest();
      env.store.transitionBatchRequest(holder.id, { status: 'commit', contentType: 'order', objects: [] });

      const error = await env.service
        .fetchAndCreateOrder({ batchSize: 5, concurrency: 2, onItem })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BatchTransitionError);
      const mine = batchesOf(env.store).filter((b) => b.id !== holder.id);
      expect(mine.map((b) => b.status)).toEqual(['fail', 'fail']);
      expect(env.store.batchRequests.get(holder.id)?.status).toBe('commit');
      for (const batch of mine) expect(reportsUnder(env, batch.localBatchId)).not.toEqual([]);
      await sleep(0);
      expect(unhandled).toEqual([]);
    });

    it('fails the run on a broken answer to the chunk-items read of a background finish', async () => {
      const orders = Array.from({ length: 8 }, () => buildChannelOrder());
      const env = await setup({ orders });
      if (env.server) {
        // Garbled, every time: the client's retries and its fallback to a request per order fail alike.
        env.server.inject({ match: /^GET \/api\/v1\/channel\/\d+\/order_items\/$/, kind: 'malformed' });
      } else if (env.omnitron instanceof InMemoryOmnitron) {
        env.omnitron.failNext('listOrderItemsOfOrders');
      }

      const error = await env.service
        .fetchAndCreateOrder({ batchSize: 5, concurrency: 2 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ChannelAppError);
      const batches = batchesOf(env.store);
      expect(batches[0]?.status).toBe('fail');
      // The second batch, if the failure left time to open it, is closed too: none is left open.
      expect(batches.every((b) => b.status === 'fail')).toBe(true);
      expect(reportsUnder(env, batches[0]?.localBatchId)).not.toEqual([]);
      await sleep(0);
      expect(unhandled).toEqual([]);
    });

    it('stops between two orders when aborted at concurrency 1, after the full batch finished', async () => {
      const orders = Array.from({ length: 8 }, () => buildChannelOrder());
      const env = await setup({ orders });
      const controller = new AbortController();
      // The first batch's `done` comes late: the run must still wait for it before it throws.
      const watch = new BatchWatch(env.omnitron, (_id, status) =>
        status === 'done' ? sleep(50) : undefined,
      );
      let seen = 0;
      const error = await env.service
        .fetchAndCreateOrder({
          batchSize: 5,
          concurrency: 1,
          signal: controller.signal,
          onItem: () => {
            seen += 1;
            if (seen === 5) controller.abort(new Error('deploy'));
          },
        })
        .catch((e: unknown) => {
          watch.events.push('run threw');
          return e;
        });

      expect(error).toBeInstanceOf(FlowAbortedError);
      // The sixth order was never started.
      expect(env.store.orders.size).toBe(5);
      const [full, stopped] = batchesOf(env.store);
      expect(watch.indexOf(`done ${full?.id} answered`)).toBeLessThan(watch.indexOf('run threw'));
      expect([full?.status, stopped?.status]).toEqual(['done', 'fail']);
      expect(env.channel.acknowledged.map((a) => a.remoteId)).toEqual(
        orders.slice(0, 5).map((o) => o.remoteId),
      );
    });

    it('reconciles without its resend batch committing while the import batch is still in commit', async () => {
      const shipped = buildChannelOrder({ status: '400' });
      const missing = buildChannelOrder();
      const env = await setup({
        orders: [shipped],
        listedOrders: [shipped, missing].map((o) => structuredClone(o)),
      });
      await env.service.fetchAndCreateOrder();
      const stored = env.store.findOrderByNumber(shipped.number);
      env.store.touchOrder(stored?.id ?? 0, { status: '500' });
      const watch = new BatchWatch(env.omnitron, (_id, status) => (status === 'done' ? sleep(5) : undefined));

      const result = await env.service.reconcileOrders();

      expect(result.reconciliation).toMatchObject({ checked: 2, imported: 1, statusResent: 1 });
      expect(watch.overlaps).toEqual([]);
      expect(result.batchRequests.map((b) => b.status)).toEqual(['done', 'done']);
      expect(env.channel.acknowledged.map((a) => a.remoteId)).toContain(missing.remoteId);
    });
  });
});
