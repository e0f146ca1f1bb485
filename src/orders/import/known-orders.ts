import type { ChannelOrder } from '../../dto/channel-order.js';
import type { Order } from '../../dto/order.js';
import type { Incoming } from '../channel-port.js';
import { remoteIdByObjectId } from '../common/mappings.js';
import { ORDER_SIZES } from '../defaults.js';
import { readChunks } from '../run/read-chunks.js';
import type { RunContext } from '../run/run-context.js';

/** Incoming orders looked up together: one request for their numbers, one for their links. */
export const LOOKUP_CHUNK = ORDER_SIZES.orderLookup;

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
 * number (see `importUnlessPresent`).
 */
export class KnownOrders {
  readonly #context: RunContext;
  /** The current chunk's answers: `null` means "absent when asked". */
  readonly #answers = new Map<string, KnownOrder | null>();

  constructor(context: RunContext) {
    this.#context = context;
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
   * Wraps a checked order stream so each chunk of orders is looked up before its orders are handed on.
   * Items are read at most {@link LOOKUP_CHUNK} ahead; items read before the stream breaks are still
   * handed on before the break.
   */
  async *lookAhead(stream: AsyncIterable<Incoming<ChannelOrder>>): AsyncGenerator<Incoming<ChannelOrder>> {
    for await (const chunk of readChunks(stream, LOOKUP_CHUNK)) {
      await this.#lookUp(chunk.flatMap((item) => (item.ok ? [item.data.number] : [])));
      yield* chunk;
    }
  }

  /**
   * Looks a chunk's numbers up; on any failure, leaves its orders to the per-order look-up. Answers are
   * added to those not taken yet: an order of the previous chunk may still wait for its turn.
   */
  async #lookUp(chunk: readonly string[]): Promise<void> {
    const numbers = [...new Set(chunk)];
    if (numbers.length === 0) return;
    const omnitron = this.#context.omnitron;
    try {
      const found = await omnitron.findOrdersByNumbers(numbers);
      const links = await remoteIdByObjectId(
        omnitron,
        'order',
        [...found.values()].map((o) => o.id),
      );
      for (const number of numbers) {
        const order = found.get(number);
        this.#answers.set(number, order ? { order, linkedRemoteId: links.get(order.id) ?? null } : null);
      }
    } catch (error) {
      this.#context.logger.warn(
        {
          flow: this.#context.flow,
          orders: numbers.length,
          error: this.#context.redactor.redactText(String(error)),
        },
        'looking up a chunk of orders failed; each order is looked up on its own',
      );
    }
  }
}
