import type { Incoming } from '../channel-port.js';
import type { FlowRun } from './flow-run.js';

/**
 * Reads a checked channel stream a chunk of `size` items at a time, counting each item as it is read, so
 * a flow can look a chunk's ids up with one request each before working on its items. Items read before
 * the stream breaks are still handed on, as a last chunk, before the break is thrown; the stream is closed
 * when the reader stops early.
 */
export async function* readChunks<T>(
  run: FlowRun,
  stream: AsyncIterable<Incoming<T>>,
  size: number,
): AsyncGenerator<Incoming<T>[]> {
  const iterator = stream[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    while (!exhausted) {
      const chunk: Incoming<T>[] = [];
      let broken: { error: unknown } | undefined;
      while (chunk.length < size) {
        let next: IteratorResult<Incoming<T>>;
        try {
          next = await iterator.next();
        } catch (error) {
          broken = { error };
          exhausted = true;
          break;
        }
        if (next.done) {
          exhausted = true;
          break;
        }
        run.fetched();
        chunk.push(next.value);
      }
      if (chunk.length > 0) yield chunk;
      if (broken) throw broken.error;
    }
  } finally {
    // Let the stream close the adapter's pages or connections when the run stops early.
    if (!exhausted) await iterator.return?.();
  }
}
