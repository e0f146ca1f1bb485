import { pMapIterable } from 'p-map';
import type { ChannelReport } from '../../dto/error-report.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import type { Incoming } from '../channel-port.js';
import type { FlowRun } from './flow-run.js';

/** Finished results held per concurrency slot while an earlier item is still being worked on. */
const RESULTS_BUFFERED_PER_SLOT = 8;

/** One stream item after its work: the work's value, or why the item failed (invalid, or the work threw). */
export type Worked<T, R> = { key: string; remoteId?: string; reports: ChannelReport[] } & (
  | { ok: true; data: T; value: R }
  | {
      ok: false;
      error: ChannelAppError;
      /** `true` when the item itself was invalid (the work never ran), `false` when the work failed. */
      invalid: boolean;
      /** The item's data, for the error report. */
      payload?: unknown;
    }
);

/**
 * Works on the items of a checked channel stream, `concurrency` at once (p-map's `pMapIterable`), and
 * hands each result back in input order, so whatever the caller does with it (record, report, commit) is
 * the same at any concurrency; only the waiting overlaps. An invalid item skips the work and comes back
 * failed. A failure of the work is the item's own (see `FlowRun.attempt`), unless it ends the run; then,
 * like a failure of the stream itself, it is thrown at its position, after the items before it. When the
 * caller stops early, the work in flight is awaited, so nothing runs on after the flow returned.
 */
export async function* workInOrder<T, R>(
  run: FlowRun,
  stream: AsyncIterable<Incoming<T>>,
  step: string,
  work: (data: T, key: string) => Promise<R>,
  concurrency = 1,
): AsyncGenerator<Worked<T, R>> {
  const inFlight = new Set<Promise<unknown>>();
  const workOn = (item: Incoming<T>) => workOne(run, step, item, work);
  const results = pMapIterable(
    counted(run, stream),
    (item: Incoming<T>) => {
      const promise = workOn(item);
      inFlight.add(promise);
      void promise.catch(() => undefined).finally(() => inFlight.delete(promise));
      return promise;
    },
    // Results come back in input order, so one slow item (a create waiting for its timeout) holds back
    // every later result; a deeper buffer than the concurrency lets the other slots go on meanwhile. One
    // at a time has no other slot: an item then starts only once the one before it was handled, so an
    // abort stops between two items.
    { concurrency, backpressure: concurrency === 1 ? 1 : concurrency * RESULTS_BUFFERED_PER_SLOT },
  );
  try {
    yield* results;
    // An abort that came while the last items were in flight still counts.
    run.throwIfAborted();
  } finally {
    await Promise.allSettled(inFlight);
  }
}

/**
 * Works on one item of a checked channel stream: the work's value, or why the item failed (invalid, or
 * the work threw; see `FlowRun.attempt`). An error that ends the run is thrown.
 */
export async function workOne<T, R>(
  run: FlowRun,
  step: string,
  item: Incoming<T>,
  work: (data: T, key: string) => Promise<R>,
): Promise<Worked<T, R>> {
  // Checked when the item's turn comes, not when it was read: an abort may land while it waits.
  run.throwIfAborted();
  if (!item.ok) return { ...item, invalid: true };
  const attempt = await run.attempt(step, item.key, () => work(item.data, item.key));
  if ('value' in attempt) return { ...item, value: attempt.value };
  const { key, remoteId, reports, data } = item;
  const failed = { key, reports, ok: false as const, error: attempt.error, invalid: false, payload: data };
  return remoteId === undefined ? failed : { ...failed, remoteId };
}

/** Counts each item read, as it is read. */
async function* counted<T>(run: FlowRun, stream: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of stream) {
    run.fetched();
    yield item;
  }
}
