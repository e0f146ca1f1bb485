import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  OmnitronError,
  OmnitronNetworkError,
  OmnitronResponseError,
  OmnitronServerError,
} from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const TOKEN = 'tok-deadline-1234';
const CHANNEL = { pk: 1, name: 'c', channel_type: 'x', catalog: 1, is_active: true, conf: {} };

/** A tiny Omnitron whose login works; `onRequest` answers everything else. */
function withLogin(onRequest: Parameters<typeof tinyServer>[0]) {
  return tinyServer((req, res, body) =>
    req.url === '/api/v1/auth/login/' ? json(res, 200, { key: TOKEN }) : onRequest(req, res, body),
  );
}

/** Sends headers at once, then one byte every 500 ms, for ever (until the client goes away). */
function drip(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), 500);
  res.on('close', () => clearInterval(timer));
}

/** Streams `bytes` of a JSON string with back-pressure, without a Content-Length. */
async function stream(res: ServerResponse, status: number, bytes: number): Promise<void> {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.write('"');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end('"');
}

/** Runs `work` and returns its error, the time it took and the highest RSS growth seen meanwhile. */
async function measure(work: () => Promise<unknown>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { error, ms: performance.now() - started, rssGrowth: peak - before };
}

describe('every request has a deadline', () => {
  it('ends an answer that sends its headers and then one byte every 500 ms', async () => {
    const server = await withLogin((_req, res) => drip(res));
    const deadline = 1500;
    const omnitron = probe(server.url, { timeout: 300, deadline });
    const { error, ms } = await measure(() => omnitron.getChannel());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expect((error as OmnitronNetworkError).http).toMatchObject({ method: 'GET', status: 200 });
    console.info(`drip: failed after ${Math.round(ms)} ms with a deadline of ${deadline} ms`);
    // Generous: the point is that it ends, not how precisely.
    expect(ms).toBeLessThan(deadline * 5);
  }, 30_000);

  it('gives up an attempt whose body stalls after its timeout, long before the default deadline', async () => {
    const server = await withLogin((req, res) => {
      if (req.method === 'POST') drip(res);
      else json(res, 200, CHANNEL);
    });
    const timeout = 400;
    // No `deadline`: the default (timeout × attempts + backoff) is far longer than one attempt.
    const omnitron = probe(server.url, { timeout, retry: { limit: 3, baseDelay: 1, backoffLimit: 60_000 } });
    const { error, ms } = await measure(() => omnitron.createBatchRequest('order'));
    // The headers of a 2xx arrived: Omnitron did it, and the create must not be sent again.
    expect(error).toBeInstanceOf(OmnitronError);
    expect((error as OmnitronError).delivered).toBe(true);
    const stalled = (error as OmnitronError).cause;
    expect(stalled).toBeInstanceOf(OmnitronNetworkError);
    expect((stalled as OmnitronNetworkError).timedOut).toBe(true);
    console.info(`stalled body: failed after ${Math.round(ms)} ms with a timeout of ${timeout} ms`);
    expect(ms).toBeLessThan(60_000);
    expect(server.requests.filter((r) => r.startsWith('POST') && r.includes('batch_requests'))).toHaveLength(
      1,
    );
  }, 90_000);

  it('ends a login whose answer drips, and the request that waits for it', async () => {
    const server = await tinyServer((_req, res) => drip(res));
    const deadline = 1000;
    const { error, ms } = await measure(() => probe(server.url, { timeout: 300, deadline }).getChannel());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expect(ms).toBeLessThan(deadline * 5);
  }, 30_000);

  it('bounds the retries after garbled answers, whatever the retry limit', async () => {
    const server = await withLogin((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"pk": 1,'), 200);
    });
    const deadline = 500;
    // 11 garbled answers of 200 ms each would take 2.2 s without a deadline.
    const omnitron = probe(server.url, { deadline, retry: { limit: 10, baseDelay: 1, backoffLimit: 5 } });
    const { error, ms } = await measure(() => omnitron.getChannel());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expect(server.requests.filter((r) => r.startsWith('GET')).length).toBeLessThan(11);
    expect(ms).toBeLessThan(deadline * 5);
  }, 30_000);
});

describe('every answer has a size cap', () => {
  it('stops reading a 50 MB answer at maxResponseBytes, without holding it in memory', async () => {
    const server = await withLogin((_req, res) => stream(res, 200, 50 * 1024 * 1024));
    const omnitron = probe(server.url, { maxResponseBytes: 1024 * 1024 });
    await omnitron.getChannel().catch(() => undefined); // logs in, warms up
    const { error, rssGrowth } = await measure(() => omnitron.getChannel());
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).message).toContain('maxResponseBytes');
    expect((error as OmnitronResponseError).delivered).toBe(true);
    console.info(`50 MB answer: RSS grew by ${(rssGrowth / 1024 / 1024).toFixed(1)} MB while it was refused`);
    // Reading it whole would take 50 MB and more (100 MB as a JS string); the cap keeps it near 1 MB.
    expect(rssGrowth).toBeLessThan(30 * 1024 * 1024);
  }, 60_000);

  it('refuses a Content-Length over the cap before reading the body', async () => {
    const server = await withLogin((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(300 * 1024 * 1024) });
      res.write('{');
    });
    const error = await probe(server.url)
      .getChannel()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).message).toContain('maxResponseBytes');
  });

  it('reads only the start of a huge error body, and keeps the status', async () => {
    const server = await withLogin((_req, res) => stream(res, 503, 50 * 1024 * 1024));
    const omnitron = probe(server.url, { retry: { limit: 0, baseDelay: 1, backoffLimit: 1 } });
    const { error, rssGrowth } = await measure(() => omnitron.getChannel());
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect((error as OmnitronServerError).http?.status).toBe(503);
    expect(rssGrowth).toBeLessThan(30 * 1024 * 1024);
  }, 60_000);
});

describe('Retry-After is honoured up to a cap', () => {
  it('fails at once on Retry-After: 3600 instead of waiting an hour', async () => {
    const server = await withLogin((_req, res) =>
      json(res, 429, { detail: 'slow down' }, { 'Retry-After': '3600' }),
    );
    const { error, ms } = await measure(() => probe(server.url).getChannel());
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect((error as OmnitronServerError).http?.status).toBe(429);
    expect(server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
    expect(ms).toBeLessThan(10_000);
  }, 30_000);

  it('waits for a Retry-After within maxRetryAfter, then asks again', async () => {
    let calls = 0;
    const server = await withLogin((_req, res) => {
      calls += 1;
      if (calls === 1) json(res, 503, { detail: 'busy' }, { 'Retry-After': '1' });
      else json(res, 200, CHANNEL);
    });
    const { error, ms } = await measure(() =>
      probe(server.url, { maxRetryAfter: 5000 }).transport.request('GET', 'channels/1/', {
        schema: z.unknown(),
      }),
    );
    expect(error).toBeUndefined();
    expect(calls).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(900);
  }, 30_000);

  it('does not wait for a Retry-After that would end after the deadline', async () => {
    const server = await withLogin((_req, res) =>
      json(res, 503, { detail: 'busy' }, { 'Retry-After': '20' }),
    );
    const omnitron = probe(server.url, { maxRetryAfter: 60_000, deadline: 3000 });
    const { error, ms } = await measure(() => omnitron.getChannel());
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect(server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);
});
