/**
 * The wait a 429 or 503 asks for, in ms, read the way ky reads it (`Retry-After` in seconds or as an HTTP
 * date, or one of the rate-limit headers some servers send instead); `undefined` when there is none.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value =
    headers.get('Retry-After') ??
    headers.get('RateLimit-Reset') ??
    headers.get('X-RateLimit-Retry-After') ??
    headers.get('X-RateLimit-Reset') ??
    headers.get('X-Rate-Limit-Reset');
  if (!value) return undefined;
  let after = Number(value) * 1000;
  if (Number.isNaN(after)) {
    after = Date.parse(value) - now;
    if (Number.isNaN(after)) return undefined;
  } else if (after >= Date.parse('2024-01-01')) {
    // A large number is a timestamp, as ky takes it.
    after -= now;
  }
  return Math.max(0, after);
}
