/** An HTTP date carries a time of day; V8's `Date.parse` also reads loose text such as `x 1` as a date. */
const CLOCK_TIME = /\b\d{1,2}:\d{2}:\d{2}\b/;

/**
 * The header a 429 or 503 names its wait in, as ky picks it: `Retry-After`, or one of the rate-limit
 * headers some servers send instead. `undefined` when there is none (an empty one counts as none, as in ky).
 */
export function retryAfterHeader(headers: Headers): string | undefined {
  const value =
    headers.get('Retry-After') ??
    headers.get('RateLimit-Reset') ??
    headers.get('X-RateLimit-Retry-After') ??
    headers.get('X-RateLimit-Reset') ??
    headers.get('X-Rate-Limit-Reset');
  return value ? value : undefined;
}

/**
 * The wait a 429 or 503 asks for, in ms: `Retry-After` in whole seconds or as an HTTP date (or one of the
 * rate-limit headers, see {@link retryAfterHeader}). `undefined` when there is none, or when it is neither
 * (`soon`, `120s`): such a header is ignored and the normal backoff applies. ky alone would wait the whole
 * `maxRetryAfter` for it, which the transport prevents (see `OmnitronHttpClient`).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = retryAfterHeader(headers)?.trim();
  if (!value) return undefined;
  let after: number;
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    after = Number(value) * 1000;
    // A large number is a timestamp, as ky takes it.
    if (after >= Date.parse('2024-01-01')) after -= now;
  } else {
    if (!CLOCK_TIME.test(value)) return undefined;
    after = Date.parse(value) - now;
    if (Number.isNaN(after)) return undefined;
  }
  return Math.max(0, after);
}
