import type { OmnitronError } from '../errors/omnitron-errors.js';
import {
  CreateFateUnknownError,
  OmnitronNetworkError,
  OmnitronResponseError,
  OmnitronServerError,
} from '../errors/omnitron-errors.js';
import { asResend } from '../telemetry/http-attempts.js';
import { wasDelivered } from './delivery.js';
import type { RetryPolicy } from './http-client.js';

/**
 * Whether a failed write may still have happened: the request may have reached Omnitron before the
 * connection broke, the timeout fired, or the answer was lost or garbled. (A 2xx whose body could not be
 * used did happen: see {@link wasDelivered}.)
 */
export function mayHaveHappened(error: unknown): error is OmnitronError {
  return (
    wasDelivered(error) ||
    error instanceof OmnitronNetworkError ||
    error instanceof OmnitronServerError ||
    error instanceof OmnitronResponseError
  );
}

/**
 * Whether Omnitron answered the create with a 2xx, so it happened. An `OmnitronResponseError` always
 * means a 2xx answer the SDK could not use, whether or not it is marked as delivered.
 */
function delivered(error: unknown): error is OmnitronError {
  return wasDelivered(error) || error instanceof OmnitronResponseError;
}

/** How {@link createBehindLookup} retries. */
export interface CreateBehindLookupOptions {
  /** How often a create whose fate is unknown may be sent again, and the backoff between sends. */
  retry: RetryPolicy;
  /**
   * How long (ms) a server may still be working on a request the client gave up on. A create that is not
   * found right after its failure is looked up once more after this long, before it is sent again: a
   * server slower than the client's timeout finishes the first request meanwhile. Use the request timeout.
   */
  settleTime: number;
  /**
   * How long (ms) a deferred create (`defer`) stays parked before it is looked up again. It costs the
   * caller no waiting slot, so it can cover a much slower server than `settleTime` can.
   */
  parkTime: number;
  /**
   * Instead of waiting `settleTime` and sending again, throw `CreateFateUnknownError` when a create whose
   * fate is unknown is not found at once: the caller parks the work and comes back after `parkTime`.
   */
  defer?: boolean;
  /** What is created, for the error when a 2xx create cannot be found (such as `customer`). */
  what: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates something without ever creating it twice.
 *
 * - A create answered with a 2xx whose body could not be used happened: it is never sent again. It is
 *   looked up; if the look-up cannot find it (or there is none), the create fails with a typed error.
 * - A create whose fate is unknown (a timeout, a dropped connection, a 5xx) is looked up at once, and, if
 *   not found, again after `settleTime` (the server may still be processing it); only then is it sent again
 *   (up to the retry limit). A server that finishes a create more than `settleTime` after the client gave
 *   up can still see it twice where nothing refuses the copy, so `settleTime` should cover the server's
 *   slowest create. With `defer`, such a create is not waited for: `CreateFateUnknownError` tells the
 *   caller to come back after `parkTime` (the order import parks the order and goes on). Without a look-up (`lookUp` null) it is sent again: use that only for creates
 *   that are harmless twice or that the server refuses twice.
 */
export async function createBehindLookup<T>(
  create: () => Promise<T>,
  lookUp: (() => Promise<T | null>) | null,
  options: CreateBehindLookupOptions,
): Promise<T> {
  const { retry } = options;
  for (let attempt = 0; ; attempt += 1) {
    try {
      // Sent again, it is the same request once more: its spans say which resend it is.
      return await asResend(attempt, create);
    } catch (error) {
      if (!mayHaveHappened(error)) throw error;
      if (delivered(error)) {
        const found = lookUp ? await lookUp() : null;
        if (found !== null) return found;
        throw notFoundAfterDelivery(options.what, error, lookUp !== null);
      }
      if (lookUp) {
        const found = await lookUp();
        if (found !== null) return found;
      }
      if (options.defer) throw fateUnknown(options, error);
      if (attempt >= retry.limit) throw error;
      const delay = Math.min(retry.backoffLimit, retry.baseDelay * 2 ** attempt);
      // Even without a look-up, give the server time to finish the first request: one it is still working on
      // can race a second copy past a uniqueness check.
      await sleep(Math.max(options.settleTime, Math.random() * delay));
      if (lookUp) {
        const found = await lookUp();
        if (found !== null) return found;
      }
    }
  }
}

/** A create of unknown fate the caller asked to defer: when to look again, and why. */
function fateUnknown(options: CreateBehindLookupOptions, error: OmnitronError): CreateFateUnknownError {
  return new CreateFateUnknownError(options.what, Date.now() + options.parkTime, {
    cause: error,
    ...(error.http ? { http: error.http } : {}),
  });
}

/** A create Omnitron answered with a 2xx but that cannot be found: never sent again, reported instead. */
function notFoundAfterDelivery(what: string, error: OmnitronError, lookedUp: boolean): OmnitronResponseError {
  const search = lookedUp ? 'a look-up did not find it' : 'it cannot be looked up';
  return new OmnitronResponseError(
    `Omnitron accepted the ${what} (HTTP ${error.http?.status ?? '2xx'}) but its answer could not be used and ` +
      `${search}; it was not sent again, so that it cannot exist twice: ${error.message}`,
    { cause: error, ...(error.http ? { http: error.http } : {}), delivered: true },
  );
}
