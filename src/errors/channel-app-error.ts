import { brandClass, isInstanceAcrossBuilds } from '../foundation/brand.js';
import type { ErrorCode } from './error-code.js';

/**
 * Where a request went, for errors that come from an HTTP call.
 *
 * @group Errors
 */
export interface HttpDetails {
  /** HTTP method, upper case. */
  method: string;
  /** Path of the request, without host or query secrets. */
  path: string;
  /** Response status, when a response arrived. */
  status?: number;
}

/**
 * Options every SDK error accepts.
 *
 * @group Errors
 */
export interface ChannelAppErrorOptions {
  /** The error that caused this one. */
  cause?: unknown;
  /** Whether running the same step again later may succeed. */
  retriable?: boolean;
  /** The HTTP call that failed, if any. */
  http?: HttpDetails;
}

/**
 * The base class of every error the SDK throws or records in a flow result. Catch this one class to
 * handle them all; switch on {@link ChannelAppError.code} to tell them apart.
 *
 * @group Errors
 */
export class ChannelAppError extends Error {
  static {
    brandClass(ChannelAppError, 'ChannelAppError');
  }

  /** Machine-readable kind of failure. */
  readonly code: ErrorCode;
  /** `true` when the same step may succeed if tried again (a timeout, a 5xx, a lock held elsewhere). */
  readonly retriable: boolean;
  /** The HTTP call behind the failure, when there was one. */
  readonly http?: HttpDetails;

  constructor(code: ErrorCode, message: string, options: ChannelAppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Every SDK error class names itself with `brandClass`, so this is its real name even after bundling;
    // a user's subclass gets its own name.
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    if (options.http) this.http = options.http;
  }

  /**
   * Makes `instanceof` recognise the errors of both builds of the package (ESM and CommonJS), which a
   * program can load side by side: a `ChannelAppError` thrown by one is a `ChannelAppError` to the other,
   * and so is each subclass the SDK exports. A user's own subclass is checked as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, often a subclass.
    return isInstanceAcrossBuilds(this, value);
  }

  /**
   * Extra facts about the failure, as plain data, for logs and error reports. Subclasses add their own
   * fields; secrets never belong here.
   */
  details(): Record<string, unknown> {
    return this.http ? { http: this.http } : {};
  }
}

/**
 * Wraps anything thrown into a {@link ChannelAppError}, keeping the original as `cause`.
 *
 * @group Errors
 */
export function toChannelAppError(
  error: unknown,
  fallback: (cause: unknown) => ChannelAppError,
): ChannelAppError {
  return error instanceof ChannelAppError ? error : fallback(error);
}
