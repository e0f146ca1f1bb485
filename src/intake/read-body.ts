/** The body was larger than the cap. */
export const TOO_LARGE = Symbol('too large');

/**
 * Reads a request's body, stopping as soon as it passes `maxBytes`: a declared `Content-Length` above the
 * cap is refused before reading, and a body without one (chunked) is read only up to the cap, so a huge
 * or endless body never sits in memory whole.
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | typeof TOO_LARGE> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return TOO_LARGE;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
