/**
 * Limits on data read from a channel adapter.
 *
 * @group Data
 */
export interface PlainDataLimits {
  /** Levels of objects and arrays below the value itself. */
  maxDepth: number;
  /** Size of the value written as JSON, in bytes (estimated from string lengths, without building it). */
  maxBytes: number;
}

/**
 * Limits on one item a channel adapter yields (an order with everything on it, a cancel, a line update):
 * 64 levels and 16 MiB, far beyond any real order but small enough that a runaway payload cannot take the
 * process down.
 *
 * @group Data
 */
export const CHANNEL_ITEM_LIMITS: PlainDataLimits = Object.freeze({
  maxDepth: 64,
  maxBytes: 16 * 1024 * 1024,
});

/**
 * Limits on one `extraField` (and `attributes`) of channel data: 32 levels of nesting below it and 1 MiB as
 * JSON. Omnitron keeps the field as JSON on the order; larger data belongs somewhere else.
 *
 * @group Data
 */
export const EXTRA_FIELD_LIMITS: PlainDataLimits = Object.freeze({ maxDepth: 32, maxBytes: 1024 * 1024 });

/**
 * Why a value was refused, with the path of the part that broke a rule.
 *
 * @group Data
 */
export interface PlainDataRefusal {
  /** Keys and indexes down to the offending part. */
  path: (string | number)[];
  /** What is wrong with it. */
  message: string;
}

/**
 * A value copied into plain data.
 *
 * @group Data
 */
export interface PlainDataCopy {
  /** Always `true`. */
  ok: true;
  /** The copy. */
  value: unknown;
}

/**
 * A value that could not be copied into plain data.
 *
 * @group Data
 */
export interface PlainDataRefused extends PlainDataRefusal {
  /** Always `false`. */
  ok: false;
}

/**
 * A plain copy of the value, or why it cannot be one.
 *
 * @group Data
 */
export type PlainDataResult = PlainDataCopy | PlainDataRefused;

class Refused extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Copies a value the way `JSON.stringify` would read it (calling `toJSON`, dropping functions and
 * symbols), keeping `Date`s as dates, into plain objects and arrays that hold no getters, proxies or
 * prototypes. Anything JSON cannot hold, or that breaks the limits, is refused with the path to it: a cycle,
 * a `BigInt`, nesting beyond `maxDepth`, more than `maxBytes`, a getter, trap or `toJSON` that throws.
 * It never throws, and never reports what a throwing getter said (it may quote a secret).
 *
 * @group Data
 */
export function toPlainData(value: unknown, limits: PlainDataLimits): PlainDataResult {
  const walk = new Walk(limits);
  try {
    return { ok: true, value: walk.copy(value, [], 0, true) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, path: error.path, message: error.reason };
    return { ok: false, path: [], message: `could not be read (${describe(error)})` };
  }
}

class Walk {
  readonly #limits: PlainDataLimits;
  readonly #ancestors = new Set<object>();
  #bytes = 0;

  constructor(limits: PlainDataLimits) {
    this.#limits = limits;
  }

  copy(value: unknown, path: (string | number)[], depth: number, callToJson: boolean): unknown {
    switch (typeof value) {
      case 'string':
        this.#count(value.length + 2, path);
        return value;
      case 'number':
      case 'boolean':
        this.#count(8, path);
        return value;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      case 'bigint':
        throw new Refused(path, 'is a BigInt, which JSON cannot hold: send it as a string');
    }
    if (value === null) {
      this.#count(4, path);
      return null;
    }
    const object = value as object;
    if (depth > this.#limits.maxDepth)
      throw new Refused(path, `is nested deeper than ${this.#limits.maxDepth} levels`);
    if (this.#ancestors.has(object))
      throw new Refused(path, 'contains itself (a cycle), which JSON cannot hold');
    this.#ancestors.add(object);
    try {
      return this.#copyObject(object, path, depth, callToJson);
    } finally {
      this.#ancestors.delete(object);
    }
  }

  #copyObject(object: object, path: (string | number)[], depth: number, callToJson: boolean): unknown {
    const date = guarded(path, 'its type', () =>
      object instanceof Date ? new Date(Date.prototype.getTime.call(object)) : null,
    );
    if (date) {
      this.#count(26, path);
      return date;
    }
    if (callToJson) {
      const toJson = guarded(path, 'its toJSON', () => (object as { toJSON?: unknown }).toJSON);
      if (typeof toJson === 'function') {
        const key = path.length > 0 ? String(path[path.length - 1]) : '';
        const replaced = guarded(path, 'its toJSON()', () => toJson.call(object, key) as unknown);
        return this.copy(replaced, path, depth, false);
      }
    }
    if (guarded(path, 'its type', () => Array.isArray(object))) {
      const array = object as unknown[];
      const length = guarded(path, 'its length', () => array.length);
      this.#count(2 + length, path);
      const out: unknown[] = [];
      for (let index = 0; index < length; index += 1) {
        const at = [...path, index];
        const item = guarded(at, 'it', () => array[index]);
        const copied = this.copy(item, at, depth + 1, true);
        out.push(copied === undefined && typeof item !== 'undefined' ? null : copied);
      }
      return out;
    }
    const keys = guarded(path, 'its keys', () => Object.keys(object));
    this.#count(2 + keys.length, path);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const at = [...path, key];
      this.#count(key.length + 3, at);
      const item = guarded(at, 'it', () => (object as Record<string, unknown>)[key]);
      const copied = this.copy(item, at, depth + 1, true);
      // JSON drops functions and symbols; `undefined` stays, so optional fields read as absent.
      if (copied === undefined && item !== undefined) continue;
      // `__proto__` as data must stay data, not replace the copy's prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: copied,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = copied;
    }
    return out;
  }

  #count(bytes: number, path: (string | number)[]): void {
    this.#bytes += bytes;
    if (this.#bytes > this.#limits.maxBytes)
      throw new Refused(path, `makes the data larger than ${this.#limits.maxBytes} bytes as JSON`);
  }
}

/** Runs a read that a getter, a proxy trap or a `toJSON` may make throw, refusing the value if it does. */
function guarded<T>(path: (string | number)[], what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused(path, `could not be read: reading ${what} threw (${describe(error)})`);
  }
}

/** The kind of a thrown value, never its message, which may hold anything. */
function describe(error: unknown): string {
  try {
    if (error instanceof RangeError) return 'RangeError';
    if (error instanceof Error) return error.constructor.name;
  } catch {
    // A hostile value: say nothing more about it.
  }
  return 'a value that is not an Error';
}
