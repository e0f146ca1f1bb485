import { setTimeout as sleep } from 'node:timers/promises';
import type { CreateFateUnknownError } from '../../errors/omnitron-errors.js';

/** One parked item, and when its create should have settled. */
interface Parked<T> {
  item: T;
  settleUntil: number;
}

/**
 * Items of the current chunk whose create had an unknown fate (`CreateFateUnknownError`): a customer,
 * address or order create timed out or lost its answer and a look-up did not find it yet. Waiting for
 * Omnitron in place would hold a concurrency slot for the whole settle time (one lost answer in ten made
 * a run 35 times slower), so such an item is parked and the run goes on. At each commit, the parked items
 * whose create should have settled by then are tried again (looked up first) and committed with that
 * chunk; the others wait for a later one. The run's last commit waits for all of them, so a run with lost
 * answers takes about one settle wait longer than one without.
 */
export class ParkedOrders<T> {
  #parked: Parked<T>[] = [];

  /** Parks an item until its create should have settled. */
  park(item: T, reason: CreateFateUnknownError): void {
    this.#parked.push({ item, settleUntil: reason.settleUntil });
  }

  /** How many items are parked. */
  get size(): number {
    return this.#parked.length;
  }

  /** Takes the parked items whose create should have settled by now, in the order they were parked. */
  takeSettled(): T[] {
    const now = Date.now();
    const settled = this.#parked.filter((p) => p.settleUntil <= now);
    this.#parked = this.#parked.filter((p) => p.settleUntil > now);
    return settled.map((p) => p.item);
  }

  /**
   * Waits until every parked item's create should have settled (or `signal` aborts), then hands them all
   * back, in the order they were parked, and forgets them.
   */
  async takeAll(signal?: AbortSignal): Promise<T[]> {
    const settleUntil = Math.max(0, ...this.#parked.map((p) => p.settleUntil));
    const wait = settleUntil - Date.now();
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {}).catch(() => undefined);
    const all = this.#parked.map((p) => p.item);
    this.#parked = [];
    return all;
  }
}
