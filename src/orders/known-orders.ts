import type { Order } from '../dto/order.js';
import type { ChannelCallContext, ChannelItem } from '../integrations/channel-integration.js';
import type { FlowRun } from './flow-run.js';
import { remoteIdByObjectId } from './mappings.js';

/** Incoming orders looked up together: one request for their numbers, one for their links. */
export const LOOKUP_CHUNK = 50;

/** What the look-up ahead learned about one order number. */
export interface KnownOrder {
  /** The order Omnitron has. */
  order: Order;
  /** The marketplace id its integration action links it to, or `null` when it is not linked yet. */
  linkedRemoteId: string | null;
}

/**
 * Looks incoming orders up a chunk at a time, ahead of their import: which numbers Omnitron already has,
 * and which of those are already linked to their marketplace ids. A re-run after a crash then skips the
 * orders it finished with two requests per chunk instead of two per order. An answer is a hint, never a
 * licence to create: an order reported absent is still created through a path that refuses a duplicate
 * number (see `importOrder`).
 */
export class KnownOrders {
  readonly #run: FlowRun;
  /** The current chunk's answers: `null` means "absent when asked". */
  #answers = new Map<string, KnownOrder | null>();

  constructor(run: FlowRun) {
    this.#run = run;
  }

  /**
   * What the look-up said about this number, once (`undefined`: not looked up, ask Omnitron yourself).
   * Taken, not read, so a number the marketplace yields twice is looked up again the second time.
   */
  take(number: string): KnownOrder | null | undefined {
    const answer = this.#answers.get(number);
    this.#answers.delete(number);
    return answer;
  }

  /**
   * Wraps a channel stream so each chunk of orders is looked up before its orders are handed on. Items
   * are read at most {@link LOOKUP_CHUNK} ahead; items read before the stream breaks are still handed on
   * before the break.
   */
  lookAhead(
    open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  ): (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>> {
    const known = this;
    return (context) =>
      (async function* () {
        const iterator = open(context)[Symbol.asyncIterator]();
        let exhausted = false;
        let done = false;
        try {
          while (!done) {
            const chunk: ChannelItem<unknown>[] = [];
            let broken: { error: unknown } | undefined;
            while (chunk.length < LOOKUP_CHUNK) {
              let next: IteratorResult<ChannelItem<unknown>>;
              try {
                next = await iterator.next();
              } catch (error) {
                broken = { error };
                break;
              }
              if (next.done) {
                exhausted = true;
                done = true;
                break;
              }
              chunk.push(next.value);
            }
            await known.#lookUp(chunk);
            yield* chunk;
            if (broken) {
              done = true;
              throw broken.error;
            }
          }
        } finally {
          // Let the adapter close its pages or connections when the run stops early, as the flow would.
          if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => undefined);
        }
      })();
  }

  /** Looks a chunk up; on any failure, leaves its orders to the per-order look-up. */
  async #lookUp(chunk: readonly ChannelItem<unknown>[]): Promise<void> {
    this.#answers = new Map();
    const numbers = [...new Set(chunk.flatMap((item) => numberOf(item) ?? []))];
    if (numbers.length === 0) return;
    const omnitron = this.#run.deps.omnitron;
    try {
      const found = await omnitron.findOrdersByNumbers(numbers);
      const links = await remoteIdByObjectId(
        omnitron,
        'order',
        [...found.values()].map((o) => o.id),
      );
      const answers = new Map<string, KnownOrder | null>();
      for (const number of numbers) {
        const order = found.get(number);
        answers.set(number, order ? { order, linkedRemoteId: links.get(order.id) ?? null } : null);
      }
      this.#answers = answers;
    } catch (error) {
      this.#run.logger.warn(
        {
          flow: this.#run.flow,
          orders: numbers.length,
          error: this.#run.deps.redactor.redactText(String(error)),
        },
        'looking up a chunk of orders failed; each order is looked up on its own',
      );
    }
  }
}

/** The order number in a raw channel item, trimmed as the order schema trims it; `undefined` if none. */
function numberOf(item: ChannelItem<unknown>): string | undefined {
  // Raw adapter output: a throwing getter or a proxy must not break the stream (validation reports it).
  try {
    const data = (item as { data?: unknown } | null)?.data;
    if (data === null || typeof data !== 'object') return undefined;
    const number = (data as { number?: unknown }).number;
    return typeof number === 'string' && number.trim().length > 0 ? number.trim() : undefined;
  } catch {
    return undefined;
  }
}
