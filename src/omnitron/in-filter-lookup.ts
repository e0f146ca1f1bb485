import { FilterIgnored, type UndocumentedFilters } from './undocumented-filters.js';

/** Keys per `__in` request: keeps the query string short. */
const CHUNK = 50;

/** Keys a fallback (`findEach`) asks at once, one request each: a few, so that a long list is not slow. */
export const FALLBACK_AT_ONCE = 8;

/** How a {@link InFilterLookup} reaches Omnitron. */
export interface InFilterQueries<V> {
  /** Values listed with the `__in` filter for these keys (lazily, page by page). */
  listIn(keys: readonly string[]): AsyncIterable<V>;
  /** Values for these keys, asked one key at a time with a documented filter: the fallback. */
  findEach(keys: readonly string[]): Promise<Map<string, V[]>>;
}

/** What a {@link InFilterLookup} looks up. */
export interface InFilterSpec<V> {
  /** The filter with its list, such as `orders/?number__in`: names it in the log and in `filters`. */
  filter: string;
  /** What is listed, for the log line: `orders`. */
  what: string;
  /** The key a value answers for: it must be one of those asked. */
  keyOf(value: V): string;
}

/**
 * Looks values up a chunk of keys at a time with an `__in` filter Omnitron's API references do not list,
 * through {@link UndocumentedFilters}: every answer is checked (a value for a key not asked for means the
 * filter was ignored), and on any failure the keys left are looked up one at a time with the documented
 * filter, for good. Values are grouped by key, in the order Omnitron lists them.
 */
export class InFilterLookup<V> {
  readonly #spec: InFilterSpec<V>;
  readonly #queries: InFilterQueries<V>;
  readonly #filters: UndocumentedFilters;

  constructor(spec: InFilterSpec<V>, queries: InFilterQueries<V>, filters: UndocumentedFilters) {
    this.#spec = spec;
    this.#queries = queries;
    this.#filters = filters;
  }

  /** The values for these keys, by key; keys with none are absent. */
  async find(keys: readonly string[]): Promise<Map<string, V[]>> {
    const found = new Map<string, V[]>();
    const unique = [...new Set(keys)];
    // A comma would split a key in two inside the filter: look such keys up alone.
    const alone = unique.filter((k) => k.includes(','));
    const listable = unique.filter((k) => !k.includes(','));
    for (let start = 0; start < listable.length; start += CHUNK) {
      const chunk = listable.slice(start, start + CHUNK);
      const listed = await this.#filters.use(
        this.#spec.filter,
        () => this.#listChunk(chunk),
        async () => undefined,
      );
      // Once the filter is off (in this call or an earlier one), every key left is asked alone.
      if (!listed) {
        alone.push(...listable.slice(start));
        break;
      }
      for (const [key, values] of listed) found.set(key, values);
    }
    if (alone.length > 0)
      for (const [key, values] of await this.#queries.findEach(alone)) found.set(key, values);
    return found;
  }

  /** One chunk's values by key; throws {@link FilterIgnored} at the first value for a key not asked for. */
  async #listChunk(chunk: readonly string[]): Promise<Map<string, V[]>> {
    const wanted = new Set(chunk);
    const answer = new Map<string, V[]>();
    for await (const value of this.#queries.listIn(chunk)) {
      const key = this.#spec.keyOf(value);
      // Stop at the first stranger: a server that ignores the filter would page through everything.
      if (!wanted.has(key)) throw new FilterIgnored(`${this.#spec.what} not asked for`);
      const values = answer.get(key);
      if (values) values.push(value);
      else answer.set(key, [value]);
    }
    return answer;
  }
}
