import { setTimeout as sleep } from 'node:timers/promises';
import type { CreateFateUnknownError } from '../errors/create-fate-unknown-error.js';

/** One parked item, and when its create should have settled. */
interface Parked<T> {
  item: T;
  settleUntil: number;
}

/**
 * Items of the current chunk whose create had an unknown fate (`CreateFateUnknownError`): a customer,
 * address or order create timed out or lost its answer and a look-up did not find it yet. Waiting for
 * Omnitron in place would hold a concurrency slot for the whole settle time (one lost answer in ten made
 * a run 35 times slower), so such an item is parked, the rest of the chunk goes on, and the parked items
 * are tried again (looked up first) just before the chunk commits, once the last of them should have
 * settled.
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

  /**
   * Waits until every parked item's create should have settled (or `signal` aborts), then hands them all
   * back, in the order they were parked, and forgets them.
   */
  async takeSettled(signal?: AbortSignal): Promise<T[]> {
    const parked = this.#parked;
    this.#parked = [];
    const settleUntil = Math.max(0, ...parked.map((p) => p.settleUntil));
    const wait = settleUntil - Date.now();
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {}).catch(() => undefined);
    return parked.map((p) => p.item);
  }
}
