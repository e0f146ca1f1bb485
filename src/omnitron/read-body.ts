/** What {@link readBodyCapped} read. */
export interface CappedBody {
  /** The body as text; with `complete: false`, only what was read before the cap. */
  text: string;
  /** `false` when the body was larger than the cap and reading stopped there. */
  complete: boolean;
}

/**
 * Reads a response body as text, but never more than `maxBytes`: it stops reading (and cancels the rest of
 * the stream) at the cap, so a huge or endless answer costs at most `maxBytes` of memory. A `Content-Length`
 * over the cap stops it before the first byte. When `signal` aborts, the download is cancelled and the read
 * rejects with the signal's reason.
 */
export async function readBodyCapped(
  response: Response,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<CappedBody> {
  const body = response.body;
  if (!body) return { text: '', complete: true };
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    cancel(body);
    return { text: '', complete: false };
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  // Cancelling the reader ends a pending read at once, so a stalled body frees its socket now.
  const stop = () => cancel(reader);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      const room = maxBytes - read;
      if (value.byteLength > room) {
        parts.push(decoder.decode(value.subarray(0, room), { stream: true }));
        // Stop the download: the rest is never buffered.
        cancel(reader);
        return { text: parts.join('') + decoder.decode(), complete: false };
      }
      read += value.byteLength;
      parts.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    reader.releaseLock();
  }
  return { text: parts.join('') + decoder.decode(), complete: true };
}

/**
 * Closes the body of an answer that will never be read: one of an attempt that is retried, or a refused
 * token's. Closing it at once frees its connection for the next attempt, rather than leaving the body open
 * until the request's signal aborts and undici cancels it (for a body split by `Response.clone()`, that
 * cancel rejected with nobody listening).
 */
export function discardBody(response: Response): void {
  if (response.body) cancel(response.body);
}

/**
 * Cancels a body without waiting for it: nothing depends on when the cancel settles, and one that fails
 * (a body already closed) has nothing left to clean up.
 */
function cancel(stream: { cancel(): Promise<void> }): void {
  stream.cancel().catch(() => undefined);
}
