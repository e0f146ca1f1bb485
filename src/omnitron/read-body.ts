import type { Readable } from 'node:stream';
import { inUndiciTerms, type nodeFetch, takeNodeBody } from './node-fetch.js';

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
  const node = takeNodeBody(response);
  const body = response.body;
  if (!node && !body) return { text: '', complete: true };
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (node) node.destroy();
    else if (body) cancel(body);
    return { text: '', complete: false };
  }
  if (node) return readNodeBodyCapped(node, maxBytes, signal);
  if (!body) return { text: '', complete: true };
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
 * {@link readBodyCapped} for a body {@link nodeFetch} left as a Node stream: the same cap, the same text
 * (decoded once at the end, as UTF-8 with a leading BOM dropped, like `TextDecoder`), the same abort.
 */
function readNodeBodyCapped(body: Readable, maxBytes: number, signal?: AbortSignal): Promise<CappedBody> {
  return new Promise<CappedBody>((resolve, reject) => {
    const parts: Buffer[] = [];
    let read = 0;
    let settled = false;
    const settle = (result: CappedBody | undefined, error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      if (result) resolve(result);
      else reject(error);
    };
    const text = () => new TextDecoder().decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    const onData = (chunk: Buffer) => {
      const room = maxBytes - read;
      if (chunk.byteLength > room) {
        parts.push(chunk.subarray(0, room));
        // Stop the download: the rest is never buffered.
        body.destroy();
        settle({ text: text(), complete: false });
        return;
      }
      read += chunk.byteLength;
      parts.push(chunk);
    };
    const onEnd = () => settle({ text: text(), complete: true });
    // As undici words a body that broke off: `terminated`, with the reason as its cause.
    const onError = (error: unknown) =>
      settle(undefined, new TypeError('terminated', { cause: inUndiciTerms(error) }));
    const onClose = () => onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    // Destroying the body ends a stalled read at once and frees its socket.
    const stop = () => {
      body.destroy();
      settle(undefined, signal?.reason);
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

/**
 * Closes the body of an answer that will never be read: one of an attempt that is retried, or a refused
 * token's. Closing it at once frees its connection for the next attempt, rather than leaving the body open
 * until the request's signal aborts and undici cancels it (for a body split by `Response.clone()`, that
 * cancel rejected with nobody listening).
 */
export function discardBody(response: Response): void {
  const node = takeNodeBody(response);
  if (node) node.destroy();
  else if (response.body) cancel(response.body);
}

/**
 * Cancels a body without waiting for it: nothing depends on when the cancel settles, and one that fails
 * (a body already closed) has nothing left to clean up.
 */
function cancel(stream: { cancel(): Promise<void> }): void {
  stream.cancel().catch(() => undefined);
}
