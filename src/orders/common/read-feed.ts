/**
 * Reads a feed into memory, up to `limit` items. Flows read Omnitron's update feeds whole before changing
 * anything: committing an object removes it from the feed, so paging while committing would skip items.
 */
export async function readFeed<T>(feed: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const items: T[] = [];
  if (limit <= 0) return items;
  for await (const item of feed) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}

/** Yields one value: lets a single-item flow (a webhook's order or cancel) reuse a stream flow. */
export async function* single<T>(item: T): AsyncGenerator<T> {
  yield item;
}
