import { pMapIterable } from 'p-map';
import type { ChannelReport } from '../../dto/error-report.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import type { Incoming } from '../channel-port.js';
import { attempt } from './attempt.js';
import { type RunContext, throwIfAborted } from './run-context.js';

/** What working on an item reads from the run: whether it was aborted, and where failures are logged. */
export type StepContext = Pick<RunContext, 'flow' | 'signal' | 'logger' | 'redactor'>;

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
 * failed. A failure of the work is the item's own (see `attempt`), unless it ends the run; then,
 * like a failure of the stream itself, it is thrown at its position, after the items before it. When the
 * caller stops early, the work in flight is awaited, so nothing runs on after the flow returned.
 */
export async function* workInOrder<T, R>(
  context: StepContext,
  stream: AsyncIterable<Incoming<T>>,
  step: string,
  work: (data: T, key: string) => Promise<R>,
  concurrency = 1,
): AsyncGenerator<Worked<T, R>> {
  if (concurrency === 1) {
    // One at a time has no other slot: the next item is read and started only when the caller asks for it,
    // after it handled the one before, so an abort (from an `onItem` hook, say) stops between two items.
    // p-map would read the next item as soon as the last result was handed over.
    for await (const item of stream) yield await workOne(context, step, item, work);
    throwIfAborted(context);
    return;
  }
  const inFlight = new Set<Promise<unknown>>();
  const workOn = (item: Incoming<T>) => workOne(context, step, item, work);
  const results = pMapIterable(
    stream,
    (item: Incoming<T>) => {
      const promise = workOn(item);
      inFlight.add(promise);
      void promise.catch(() => undefined).finally(() => inFlight.delete(promise));
      return promise;
    },
    // Results come back in input order, so one slow item (a create waiting for its timeout) holds back
    // every later result; a deeper buffer than the concurrency lets the other slots go on meanwhile.
    { concurrency, backpressure: concurrency * RESULTS_BUFFERED_PER_SLOT },
  );
  try {
    yield* results;
    // An abort that came while the last items were in flight still counts.
    throwIfAborted(context);
  } finally {
    await Promise.allSettled(inFlight);
  }
}

/**
 * Works on one item of a checked channel stream: the work's value, or why the item failed (invalid, or
 * the work threw; see `FlowRun.attempt`). An error that ends the run is thrown.
 */
export async function workOne<T, R>(
  context: StepContext,
  step: string,
  item: Incoming<T>,
  work: (data: T, key: string) => Promise<R>,
): Promise<Worked<T, R>> {
  // Checked when the item's turn comes, not when it was read: an abort may land while it waits.
  throwIfAborted(context);
  if (!item.ok) return { ...item, invalid: true };
  const done = await attempt(context, step, item.key, () => work(item.data, item.key));
  if ('value' in done) return { ...item, value: done.value };
  const { key, remoteId, reports, data } = item;
  const failed = { key, reports, ok: false as const, error: done.error, invalid: false, payload: data };
  return remoteId === undefined ? failed : { ...failed, remoteId };
}
