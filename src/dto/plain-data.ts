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
    return { ok: true, value: walk.copy(value, 0, true) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, path: error.path, message: error.reason };
    return { ok: false, path: [], message: `could not be read (${describe(error)})` };
  }
}

/**
 * One copy. The path to the part being copied is one stack, pushed and popped on the way down and up, and
 * copied only into a refusal; reads that may throw are wrapped in `try` where they happen. An order is
 * copied once per item a run handles, so a path array and a closure per key were most of the run's
 * allocation outside the transport.
 */
class Walk {
  readonly #limits: PlainDataLimits;
  readonly #ancestors = new Set<object>();
  /** Keys and indexes from the value down to the part being copied. */
  readonly #path: (string | number)[] = [];
  #bytes = 0;

  constructor(limits: PlainDataLimits) {
    this.#limits = limits;
  }

  copy(value: unknown, depth: number, callToJson: boolean): unknown {
    switch (typeof value) {
      case 'string':
        this.#count(value.length + 2);
        return value;
      case 'number':
      case 'boolean':
        this.#count(8);
        return value;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      case 'bigint':
        throw this.#refuse('is a BigInt, which JSON cannot hold: send it as a string');
    }
    if (value === null) {
      this.#count(4);
      return null;
    }
    const object = value as object;
    if (depth > this.#limits.maxDepth)
      throw this.#refuse(`is nested deeper than ${this.#limits.maxDepth} levels`);
    if (this.#ancestors.has(object)) throw this.#refuse('contains itself (a cycle), which JSON cannot hold');
    this.#ancestors.add(object);
    try {
      return this.#copyObject(object, depth, callToJson);
    } finally {
      this.#ancestors.delete(object);
    }
  }

  #copyObject(object: object, depth: number, callToJson: boolean): unknown {
    let date: Date | null;
    try {
      date = object instanceof Date ? new Date(Date.prototype.getTime.call(object)) : null;
    } catch (error) {
      throw this.#unreadable('its type', error);
    }
    if (date) {
      this.#count(26);
      return date;
    }
    if (callToJson) {
      let toJson: unknown;
      try {
        toJson = (object as { toJSON?: unknown }).toJSON;
      } catch (error) {
        throw this.#unreadable('its toJSON', error);
      }
      if (typeof toJson === 'function') {
        const path = this.#path;
        const key = path.length > 0 ? String(path[path.length - 1]) : '';
        let replaced: unknown;
        try {
          replaced = toJson.call(object, key) as unknown;
        } catch (error) {
          throw this.#unreadable('its toJSON()', error);
        }
        return this.copy(replaced, depth, false);
      }
    }
    let isArray: boolean;
    try {
      isArray = Array.isArray(object);
    } catch (error) {
      throw this.#unreadable('its type', error);
    }
    return isArray
      ? this.#copyArray(object as unknown[], depth)
      : this.#copyRecord(object as Record<string, unknown>, depth);
  }

  #copyArray(array: unknown[], depth: number): unknown[] {
    let length: number;
    try {
      length = array.length;
    } catch (error) {
      throw this.#unreadable('its length', error);
    }
    this.#count(2 + length);
    const out: unknown[] = [];
    const path = this.#path;
    for (let index = 0; index < length; index += 1) {
      path.push(index);
      let item: unknown;
      try {
        item = array[index];
      } catch (error) {
        throw this.#unreadable('it', error);
      }
      const copied = this.copy(item, depth + 1, true);
      out.push(copied === undefined && typeof item !== 'undefined' ? null : copied);
      path.pop();
    }
    return out;
  }

  #copyRecord(object: Record<string, unknown>, depth: number): Record<string, unknown> {
    let keys: string[];
    try {
      keys = Object.keys(object);
    } catch (error) {
      throw this.#unreadable('its keys', error);
    }
    this.#count(2 + keys.length);
    const out: Record<string, unknown> = {};
    const path = this.#path;
    for (const key of keys) {
      path.push(key);
      this.#count(key.length + 3);
      let item: unknown;
      try {
        item = object[key];
      } catch (error) {
        throw this.#unreadable('it', error);
      }
      const copied = this.copy(item, depth + 1, true);
      path.pop();
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

  #count(bytes: number): void {
    this.#bytes += bytes;
    if (this.#bytes > this.#limits.maxBytes)
      throw this.#refuse(`makes the data larger than ${this.#limits.maxBytes} bytes as JSON`);
  }

  /** A refusal at the current path (a copy of it: the stack goes on changing). */
  #refuse(reason: string): Refused {
    return new Refused([...this.#path], reason);
  }

  /** The refusal for a getter, a proxy trap or a `toJSON` that threw while `what` was read. */
  #unreadable(what: string, error: unknown): Refused {
    if (error instanceof Refused) return error;
    return this.#refuse(`could not be read: reading ${what} threw (${describe(error)})`);
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
