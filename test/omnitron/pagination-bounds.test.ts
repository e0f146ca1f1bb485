import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError, OmnitronResponseError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const PAGE = 10;
/** A server that stopped answering lists after this many pages: past it, a client was paging for ever. */
const RUNAWAY = 40;

/** An Omnitron whose lists are answered by `page` (1-based, counted by the server, `?page=` ignored). */
function lists(page: (n: number) => { count: number; next: string | null; results: unknown[] }) {
  let served = 0;
  return tinyServer((req, res) => {
    if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-pagination-1234' });
    served += 1;
    if (served > RUNAWAY) return json(res, 404, { detail: 'runaway client' });
    return json(res, 200, page(served));
  });
}

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ pk: from + i }));

async function readAll(url: string, extra: Parameters<typeof probe>[1] = {}, feed = false) {
  const items: unknown[] = [];
  try {
    const pages = probe(url, extra).transport.paginate('things/', {}, z.unknown(), PAGE, { feed });
    for await (const item of pages) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

const gets = (requests: readonly string[]) => requests.filter((r) => r.startsWith('GET /api/v1/things/'));

describe('pagination never trusts the server', () => {
  it('stops at a page shorter than the ones before, whatever count and next say', async () => {
    const server = await lists((n) => ({
      count: 1_000_000,
      next: 'http://x/?page=next',
      results: ids(n * PAGE, n < 3 ? PAGE : 3),
    }));
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (o: unknown) => warnings.push(o) };
    const { items, error } = await readAll(server.url, { logger });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(2 * PAGE + 3);
    expect(gets(server.requests)).toHaveLength(3);
    // Said out loud: the server claims more follow.
    expect(warnings).toEqual([expect.objectContaining({ page: 3, pageSize: PAGE, results: 3 })]);
  });

  it('reads every page of an Omnitron that caps the page size below ours', async () => {
    const cap = 4;
    const total = 10;
    const server = await lists((n) => {
      const from = (n - 1) * cap;
      return {
        count: total,
        next: from + cap < total ? 'http://x/?page=next' : null,
        results: ids(from + 1, Math.min(cap, total - from)),
      };
    });
    const { items, error } = await readAll(server.url);
    expect(error).toBeUndefined();
    expect(items).toEqual(ids(1, total));
    expect(gets(server.requests)).toHaveLength(3);
  });

  it('fails with a typed error when short pages repeat (a server that ignores ?page= and caps the size)', async () => {
    const server = await lists(() => ({ count: 1_000_000, next: 'http://x/?page=2', results: ids(1, 3) }));
    const { items, error } = await readAll(server.url);
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect(gets(server.requests)).toHaveLength(2);
    expect(items).toHaveLength(3);
  });

  it('fails with a typed error when a page repeats the previous one (the server ignores ?page=)', async () => {
    const server = await lists(() => ({ count: 1_000_000, next: 'http://x/?page=2', results: ids(1, PAGE) }));
    const { items, error } = await readAll(server.url);
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as Error).message).toMatch(/repeat/i);
    expect(gets(server.requests)).toHaveLength(2);
    expect(items).toHaveLength(PAGE);
  });

  it('ends a feed at a page that repeats the previous one, with what it read and a warning', async () => {
    const server = await lists(() => ({ count: 1_000_000, next: 'http://x/?page=2', results: ids(1, PAGE) }));
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (o: unknown) => warnings.push(o) };
    const { items, error } = await readAll(server.url, { logger }, true);
    expect(error).toBeUndefined();
    expect(items).toEqual(ids(1, PAGE));
    expect(gets(server.requests)).toHaveLength(2);
    expect(warnings).toEqual([expect.objectContaining({ page: 2, read: PAGE })]);
  });

  it('hands each item of a feed that moved between pages on once', async () => {
    // Page 2 starts half a page back (items joined the feed's front), then the server repeats it.
    const server = await lists((n) => ({
      count: 1_000_000,
      next: 'http://x/?page=next',
      results: ids(n === 1 ? 1 : PAGE / 2 + 1, PAGE),
    }));
    const { items, error } = await readAll(server.url, {}, true);
    expect(error).toBeUndefined();
    expect(items).toEqual(ids(1, PAGE + PAGE / 2));
    expect(gets(server.requests)).toHaveLength(3);
  });

  it('fails with a typed error past maxPages of full, new pages', async () => {
    const server = await lists((n) => ({
      count: 1_000_000,
      next: 'http://x/?page=next',
      results: ids(n * PAGE, PAGE),
    }));
    const { items, error } = await readAll(server.url, { maxPages: 5 });
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as Error).message).toContain('maxPages');
    expect(gets(server.requests)).toHaveLength(5);
    expect(items).toHaveLength(5 * PAGE);
  });

  it('reads a list of exactly maxPages pages', async () => {
    const server = await lists((n) => ({
      count: 3 * PAGE,
      next: n < 3 ? 'http://x/?page=next' : null,
      results: ids(n * PAGE, PAGE),
    }));
    const { items, error } = await readAll(server.url, { maxPages: 3 });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(3 * PAGE);
  });

  it('validates maxPages', () => {
    expect(() => probe('http://127.0.0.1:1', { maxPages: 10 })).not.toThrow();
    for (const maxPages of [0, -1, 1.5, '10'])
      expect(() => probe('http://127.0.0.1:1', { maxPages } as never)).toThrow(InvalidOptionsError);
  });
});
