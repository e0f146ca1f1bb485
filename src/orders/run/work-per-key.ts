import pMap from 'p-map';
import type { Incoming } from '../channel-port.js';
import { type StepContext, type Worked, workOne } from './work-in-order.js';

/** What became of a chunk: its items worked on, in input order, and what stopped the rest, if anything did. */
export interface WorkedChunk<T, R> {
  /**
   * The results of the chunk's items in input order, up to the first item that did not finish: all of them
   * unless an error ended the run.
   */
  worked: Worked<T, R>[];
  /** The error that ended the run (an abort, refused credentials), to throw once `worked` is recorded. */
  stopped?: unknown;
}

/**
 * Works on a chunk of stream items, `concurrency` keys at once: items that share a key (the same order,
 * say) are worked on one after another in input order, so each sees what the one before it changed;
 * items of different keys overlap. An invalid item has no key and is worked on (refused) alone. Results
 * come back in input order, so what the caller records and reports is the same at any concurrency. Every
 * item started is awaited before an error that ends the run is handed back, so nothing runs on after the
 * flow; the items finished before it are handed back too, to be recorded as a run one at a time would.
 */
export async function workPerKey<T, R>(
  context: StepContext,
  chunk: readonly Incoming<T>[],
  step: string,
  keyOf: (data: T) => string,
  work: (data: T, key: string) => Promise<R>,
  concurrency: number,
): Promise<WorkedChunk<T, R>> {
  const groups = new Map<string, number[]>();
  chunk.forEach((item, index) => {
    const key = item.ok ? `k:${keyOf(item.data)}` : `i:${index}`;
    const group = groups.get(key) ?? [];
    group.push(index);
    groups.set(key, group);
  });
  // Filled, not sparse: `indexOf` below skips holes.
  const results: (Worked<T, R> | undefined)[] = chunk.map(() => undefined);
  let stopped: unknown;
  try {
    await pMap(
      groups.values(),
      async (indexes) => {
        for (const index of indexes)
          results[index] = await workOne(context, step, chunk[index] as Incoming<T>, work);
      },
      { concurrency, stopOnError: false },
    );
  } catch (error) {
    // With `stopOnError: false`, p-map gathers every group's error once all have settled.
    stopped = error instanceof AggregateError ? error.errors[0] : error;
  }
  const unfinished = results.indexOf(undefined);
  const worked = (unfinished === -1 ? results : results.slice(0, unfinished)) as Worked<T, R>[];
  return stopped === undefined ? { worked } : { worked, stopped };
}
