import { describe, expect, it } from 'vitest';
import type { ChannelOrderInput, FlowResult, ItemOutcome } from '../../src/index.js';
import { OrderChunks } from '../../src/intake/order-chunks.js';
import { buildChannelOrder } from '../../src/testing/index.js';

/** A run's result naming each order of the chunk as `created`, except those `skip` leaves out. */
function created(
  orders: readonly ChannelOrderInput[],
  skip: (order: ChannelOrderInput) => boolean = () => false,
) {
  const items: ItemOutcome[] = orders
    .filter((order) => !skip(order))
    .map((order) => ({ key: order.number, remoteId: order.remoteId, status: 'created' }));
  return { flow: 'createOrder', items } as unknown as FlowResult;
}

/**
 * Runs the first order, which starts at once (see the test of it), and forgets its run: what the test adds
 * next is gathered as in a worker that has run before.
 */
async function warmed(chunks: OrderChunks, runs: unknown[]): Promise<void> {
  await chunks.add(buildChannelOrder());
  runs.length = 0;
}

describe('OrderChunks', () => {
  it('starts the first run at once, and gathers the orders that come meanwhile for their window', async () => {
    const runs: number[] = [];
    const chunks = new OrderChunks({ size: 50, window: 100, inFlight: 2 }, async (orders) => {
      runs.push(orders.length);
      return created(orders);
    });
    const first = await chunks.add(buildChannelOrder());
    expect(first.status).toBe('created');
    expect(runs).toEqual([1]);
    // The next orders wait for their window or a full chunk.
    const next = [chunks.add(buildChannelOrder()), chunks.add(buildChannelOrder())];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toEqual([1]);
    await Promise.all(next);
    expect(runs).toEqual([1, 2]);
  });

  it('starts a chunk as soon as it is full, and runs the rest in the next one', async () => {
    const runs: string[][] = [];
    // A window far longer than the test: only a full chunk, or the end of a run, may start one.
    const chunks = new OrderChunks({ size: 3, window: 3_600_000, inFlight: 1 }, async (orders) => {
      runs.push(orders.map((o) => o.number));
      return created(orders);
    });
    await warmed(chunks, runs);
    const orders = Array.from({ length: 6 }, () => buildChannelOrder());
    const outcomes = await Promise.all(orders.map((order) => chunks.add(order)));
    expect(outcomes.map((o) => o.key)).toEqual(orders.map((o) => o.number));
    expect(runs).toEqual([orders.slice(0, 3).map((o) => o.number), orders.slice(3).map((o) => o.number)]);
  });

  it('starts a chunk that is not full once its window is over', async () => {
    const runs: number[] = [];
    const chunks = new OrderChunks({ size: 50, window: 10, inFlight: 1 }, async (orders) => {
      runs.push(orders.length);
      return created(orders);
    });
    await warmed(chunks, runs);
    const outcomes = await Promise.all([chunks.add(buildChannelOrder()), chunks.add(buildChannelOrder())]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created']);
    expect(runs).toEqual([2]);
  });

  it('runs one chunk at a time when inFlight is 1, and keeps a second job of the same order for the next chunk', async () => {
    let running = 0;
    let most = 0;
    const runs: string[][] = [];
    const chunks = new OrderChunks({ size: 2, window: 5, inFlight: 1 }, async (orders) => {
      running += 1;
      most = Math.max(most, running);
      runs.push(orders.map((o) => o.remoteId));
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return created(orders);
    });
    await warmed(chunks, runs);
    const [a, b] = [buildChannelOrder(), buildChannelOrder()];
    const outcomes = await Promise.all([chunks.add(a), chunks.add({ ...a }), chunks.add(b)]);
    expect(outcomes.map((o) => o.remoteId)).toEqual([a.remoteId, a.remoteId, b.remoteId]);
    // The first two fill a chunk, which takes the first job of `a` only; `b` comes while it runs, and the
    // next chunk takes the second job of `a` with it.
    expect(runs).toEqual([[a.remoteId], [a.remoteId, b.remoteId]]);
    expect(most).toBe(1);
  });

  it('starts the next chunk while a slow run goes on, but never a job of an order whose run is going', async () => {
    const runs: string[][] = [];
    const ends: (() => void)[] = [];
    let warm = false;
    const chunks = new OrderChunks({ size: 2, window: 5, inFlight: 2 }, async (orders) => {
      runs.push(orders.map((o) => o.remoteId));
      // The first run after the warm-up waits until the test lets it end; the others end at once.
      if (runs.length === 1 && ends.length === 0 && warm)
        await new Promise<void>((resolve) => ends.push(resolve));
      return created(orders);
    });
    await warmed(chunks, runs);
    warm = true;
    const [a, b, c] = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
    const first = [chunks.add(a), chunks.add(b)];
    // `c` runs beside the slow first run; the second job of `a` waits for the first run's end.
    const second = [chunks.add({ ...a }), chunks.add(c)];
    await second[1];
    expect(runs).toEqual([[a.remoteId, b.remoteId], [c.remoteId]]);
    await new Promise((resolve) => setTimeout(resolve, 30)); // several windows of `a`'s second job
    expect(runs).toHaveLength(2);
    ends[0]?.();
    await Promise.all([...first, ...second]);
    expect(runs).toEqual([[a.remoteId, b.remoteId], [c.remoteId], [a.remoteId]]);
  });

  it('runs at most inFlight chunks at once', async () => {
    let running = 0;
    let most = 0;
    const chunks = new OrderChunks({ size: 1, window: 5, inFlight: 2 }, async (orders) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return created(orders);
    });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => chunks.add(buildChannelOrder())));
    expect(outcomes).toHaveLength(5);
    expect(most).toBe(2);
  });

  it('rejects every order of a run that threw, and an order the run reported nothing for alone', async () => {
    const [a, b, c] = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
    const failing = new OrderChunks({ size: 2, window: 5, inFlight: 2 }, async () => {
      throw new Error('Omnitron unreachable');
    });
    const thrown = await Promise.allSettled([failing.add(a), failing.add(b)]);
    expect(thrown.map((r) => r.status)).toEqual(['rejected', 'rejected']);

    const forgetful = new OrderChunks({ size: 3, window: 5, inFlight: 2 }, async (orders) =>
      created(orders, (order) => order.remoteId === b.remoteId),
    );
    const settled = await Promise.allSettled([forgetful.add(a), forgetful.add(b), forgetful.add(c)]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toContain('no outcome');
  });
});
