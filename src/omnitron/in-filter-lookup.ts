import { OmnitronValidationError } from '../errors/omnitron-validation-error.js';
import type { Logger } from '../reporting/logger.js';

/** Keys per `__in` request: keeps the query string short. */
const CHUNK = 50;

/** How a {@link InFilterLookup} reaches Omnitron. */
export interface InFilterQueries<V> {
  /** Values listed with the `__in` filter for these keys (lazily, page by page). */
  listIn(keys: readonly string[]): AsyncIterable<V>;
  /** Values for these keys, asked one key at a time: the documented look-up. */
  findEach(keys: readonly string[]): Promise<Map<string, V[]>>;
}

/** What a {@link InFilterLookup} looks up. */
export interface InFilterSpec<V> {
  /** The filter, such as `number__in`. */
  filter: string;
  /** What is listed, for the log line: `orders`. */
  what: string;
  /** The key a value answers for: it must be one of those asked. */
  keyOf(value: V): string;
}

/**
 * Looks values up a chunk of keys at a time with an `__in` filter Omnitron's API reference does not list
 * (a Django filter set may have it, or silently ignore it), so every answer is checked: a value for a key
 * not asked for means the filter was ignored, and from then on this client asks one key at a time (logged
 * once). A 400 for the filter does the same. Values are grouped by key, in the order Omnitron lists them.
 */
export class InFilterLookup<V> {
  readonly #spec: InFilterSpec<V>;
  readonly #queries: InFilterQueries<V>;
  readonly #logger: Logger;
  #filterIgnored = false;

  constructor(spec: InFilterSpec<V>, queries: InFilterQueries<V>, logger: Logger) {
    this.#spec = spec;
    this.#queries = queries;
    this.#logger = logger;
  }

  /** Whether the server was found to ignore the filter (so every key is looked up alone). */
  get filterIgnored(): boolean {
    return this.#filterIgnored;
  }

  /** The values for these keys, by key; keys with none are absent. */
  async find(keys: readonly string[]): Promise<Map<string, V[]>> {
    const found = new Map<string, V[]>();
    const unique = [...new Set(keys)];
    // A comma would split a key in two inside the filter: look such keys up alone.
    const alone = unique.filter((k) => k.includes(','));
    const listable = unique.filter((k) => !k.includes(','));
    for (let start = 0; start < listable.length; start += CHUNK) {
      // Once the filter proved ignored (in this call or an earlier one), every key left is asked alone.
      if (this.#filterIgnored || !(await this.#listChunk(listable.slice(start, start + CHUNK), found))) {
        alone.push(...listable.slice(start));
        break;
      }
    }
    if (alone.length > 0)
      for (const [key, values] of await this.#queries.findEach(alone)) found.set(key, values);
    return found;
  }

  /** Lists one chunk into `found`; `false` when the server turned out to ignore the filter. */
  async #listChunk(chunk: readonly string[], found: Map<string, V[]>): Promise<boolean> {
    const wanted = new Set(chunk);
    const answer = new Map<string, V[]>();
    try {
      for await (const value of this.#queries.listIn(chunk)) {
        const key = this.#spec.keyOf(value);
        // Stop at the first stranger: a server that ignores the filter would page through everything.
        if (!wanted.has(key)) return this.#ignored(`it answered ${this.#spec.what} that were not asked for`);
        const values = answer.get(key);
        if (values) values.push(value);
        else answer.set(key, [value]);
      }
    } catch (error) {
      if (error instanceof OmnitronValidationError) return this.#ignored('it refused the filter (400)');
      throw error;
    }
    for (const [key, values] of answer) found.set(key, values);
    return true;
  }

  #ignored(why: string): false {
    const { filter, what } = this.#spec;
    if (!this.#filterIgnored)
      this.#logger.warn(
        { filter, reason: why },
        `Omnitron ignores the ${filter} filter on ${what}; looking them up one at a time`,
      );
    this.#filterIgnored = true;
    return false;
  }
}
