import type { OmnitronError } from '../errors/omnitron-error.js';
import { OmnitronNetworkError } from '../errors/omnitron-network-error.js';
import { OmnitronResponseError } from '../errors/omnitron-response-error.js';
import { OmnitronServerError } from '../errors/omnitron-server-error.js';
import type { RetryPolicy } from './http-client.js';

/**
 * Whether a failed write may still have happened: the request may have reached Omnitron before the
 * connection broke, the timeout fired, or the answer was lost or garbled.
 */
export function mayHaveHappened(error: unknown): error is OmnitronError {
  return (
    error instanceof OmnitronNetworkError ||
    error instanceof OmnitronServerError ||
    error instanceof OmnitronResponseError
  );
}

/**
 * Creates something without ever creating it twice: when a create fails in a way that leaves its fate
 * unknown, look first; if it is there, that is the answer; if not, try again (up to the retry limit).
 */
export async function createBehindLookup<T>(
  create: () => Promise<T>,
  lookUp: () => Promise<T | null>,
  retry: RetryPolicy,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await create();
    } catch (error) {
      if (!mayHaveHappened(error)) throw error;
      const found = await lookUp();
      if (found !== null) return found;
      if (attempt >= retry.limit) throw error;
      const delay = Math.min(retry.backoffLimit, retry.baseDelay * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * delay));
    }
  }
}
