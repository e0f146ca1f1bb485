import type { Order } from '../dto/order.js';
import { OmnitronValidationError } from '../errors/omnitron-validation-error.js';
import type { Logger } from '../reporting/logger.js';

/** Numbers per `number__in` request: keeps the query string short. */
const CHUNK = 50;

/** How the chunked look-up reaches Omnitron. */
export interface OrderNumberQueries {
  /** Orders listed with `number__in` (lazily, page by page). */
  listByNumbers(numbers: readonly string[]): AsyncIterable<Order>;
  /** Orders by number, asked one number at a time: the documented look-up. */
  findEach(numbers: readonly string[]): Promise<Map<string, Order>>;
}

/**
 * Finds orders by number a chunk at a time with `orders/?number__in=…`. Omnitron's API reference does not
 * list that filter (a Django filter set may have it or silently ignore it), so every answer is checked: an
 * order whose number was not asked for means the filter was ignored, and from then on this client asks one
 * number at a time (logged once). A 400 for the filter does the same. An answer that wrongly leaves out an
 * order cannot be detected here and needs no detection: the import then tries to create the order, Omnitron
 * refuses the duplicate number, and the import treats the order as present.
 */
export class OrderNumberLookup {
  readonly #queries: OrderNumberQueries;
  readonly #logger: Logger;
  #filterIgnored = false;

  constructor(queries: OrderNumberQueries, logger: Logger) {
    this.#queries = queries;
    this.#logger = logger;
  }

  /** Whether the server was found to ignore `number__in` (so every number is looked up alone). */
  get filterIgnored(): boolean {
    return this.#filterIgnored;
  }

  /** The orders with these numbers, by number. */
  async find(numbers: readonly string[]): Promise<Map<string, Order>> {
    const found = new Map<string, Order>();
    const unique = [...new Set(numbers)];
    // A comma would split a number in two inside `number__in`: look such numbers up alone.
    const alone = unique.filter((n) => n.includes(','));
    const listable = unique.filter((n) => !n.includes(','));
    for (let start = 0; start < listable.length && !this.#filterIgnored; start += CHUNK) {
      const chunk = listable.slice(start, start + CHUNK);
      if (!(await this.#listChunk(chunk, found))) alone.push(...listable.slice(start));
    }
    if (alone.length > 0)
      for (const [number, order] of await this.#queries.findEach(alone)) found.set(number, order);
    return found;
  }

  /** Lists one chunk into `found`; `false` when the server turned out to ignore the filter. */
  async #listChunk(chunk: readonly string[], found: Map<string, Order>): Promise<boolean> {
    const wanted = new Set(chunk);
    const answer = new Map<string, Order>();
    try {
      for await (const order of this.#queries.listByNumbers(chunk)) {
        // Stop at the first stranger: a server that ignores the filter would page through every order.
        if (!wanted.has(order.number)) return this.#ignored('it answered orders that were not asked for');
        answer.set(order.number, order);
      }
    } catch (error) {
      if (error instanceof OmnitronValidationError) return this.#ignored('it refused the filter (400)');
      throw error;
    }
    for (const [number, order] of answer) found.set(number, order);
    return true;
  }

  #ignored(why: string): false {
    if (!this.#filterIgnored)
      this.#logger.warn(
        { filter: 'number__in', reason: why },
        'Omnitron ignores the number__in filter on orders; looking orders up one number at a time',
      );
    this.#filterIgnored = true;
    return false;
  }
}
