/**
 * Reads a stream a chunk of `size` items at a time, so a flow can look a chunk's ids up with one request
 * each before working on its items. Items read before the stream breaks are still handed on, as a last
 * chunk, before the break is thrown; the stream is closed when the reader stops early.
 */
export async function* readChunks<T>(stream: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  const iterator = stream[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    while (!exhausted) {
      const chunk: T[] = [];
      let broken: { error: unknown } | undefined;
      while (chunk.length < size) {
        let next: IteratorResult<T>;
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
