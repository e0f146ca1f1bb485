/** The body was larger than the cap. */
export const TOO_LARGE = Symbol('too large');

/** The body did not arrive whole within the deadline. */
export const TOO_SLOW = Symbol('too slow');

/**
 * Reads a request's body, stopping as soon as it passes `maxBytes` or `timeoutMs` have passed: a declared
 * `Content-Length` above the cap is refused before reading, a body without one (chunked) is read only up
 * to the cap, so a huge or endless body never sits in memory whole, and a body dribbled a byte at a time
 * (slowloris) holds the handler no longer than the deadline.
 *
 * A refused body is left as it is, not cancelled: on node:http, cancelling `Readable.toWeb(req)` destroys
 * the socket at once, and the 413 or 408 could be lost with it. The answer says `Connection: close`
 * instead, and the server closes the connection once that answer is written.
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | typeof TOO_LARGE | typeof TOO_SLOW> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) return TOO_LARGE;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TOO_SLOW>((resolve) => {
    timer = setTimeout(() => resolve(TOO_SLOW), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === TOO_SLOW) return TOO_SLOW;
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) return TOO_LARGE;
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
