import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TokenStore } from '../../src/index.js';
import { createBehindLookup } from '../../src/omnitron/create-behind-lookup.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';
import { idOf, installOtel, named, parentOf } from './otel-harness.js';

// OpenTelemetry's HTTP conventions: a client that sends a request again makes one client span per request
// sent, each with `http.request.resend_count` after the first; these pin that down for every way the SDK
// sends again, and that no credential or query value reaches a span.

const { spans, reader, points } = installOtel();

const Channel = z.object({ pk: z.number(), name: z.string() });
const PASSWORD = 'pw-attempts-never-in-a-span';
const STALE = 'tok-stale-never-in-a-span';
/** A token store holding a token Omnitron no longer takes, so the first 401 brings a login. */
const staleStore: TokenStore = {
  get: async () => STALE,
  set: async () => undefined,
  delete: async () => undefined,
};

type Answer = (res: ServerResponse) => void;
const garbled: Answer = (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>oops</html>');
const refused: Answer = (res) => json(res, 401, { detail: 'Invalid token.' });
const busy: Answer = (res) => json(res, 503, { detail: 'busy' });
const valid: Answer = (res) => json(res, 200, { pk: 1, name: 'c' });

/** Logins get `tok-fresh-<n>`; the n-th other request gets `answers[n]`. */
function omnitron(answers: Answer[]) {
  let logins = 0;
  let calls = 0;
  return tinyServer((req, res) => {
    if (req.url === '/api/v1/auth/login/') {
      logins += 1;
      return json(res, 200, { key: `tok-fresh-${logins}` });
    }
    calls += 1;
    return (answers[calls - 1] ?? valid)(res);
  });
}

const clientSpans = (prefix: string) =>
  spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT && named(prefix)(s));
const outcome = (s: ReadableSpan) => [
  s.attributes['http.response.status_code'],
  s.attributes['error.type'],
  s.attributes['http.request.resend_count'],
];

describe('one client span per request sent', () => {
  it('a garbled answer, a refused token and a 503: four attempts, then a login, each its own span', async () => {
    const server = await omnitron([garbled, refused, busy, valid]);
    const client = probe(server.url, {
      password: PASSWORD,
      tokenStore: staleStore,
      retry: { limit: 2, baseDelay: 1, backoffLimit: 5 },
    }).transport;

    await client.request('GET', 'channels/1/', {
      query: { api_key: 'query-secret-value', page: 2 },
      schema: Channel,
    });

    const [request] = spans.getFinishedSpans().filter(named('channel_app.omnitron GET channels/{id}/'));
    expect(request?.kind).toBe(SpanKind.INTERNAL);
    expect(request?.attributes).toMatchObject({ 'channel_app.retries': 2, 'http.response.status_code': 200 });
    const attempts = clientSpans('GET ');
    expect(attempts.map((s) => s.name)).toEqual(Array(4).fill('GET channels/{id}/'));
    for (const attempt of attempts) expect(parentOf(attempt)).toBe(idOf(request));
    expect(attempts.map(outcome)).toEqual([
      [200, 'OMNITRON_RESPONSE', undefined],
      [401, '401', 1],
      [503, '503', 2],
      [200, undefined, 3],
    ]);
    const port = Number(new URL(server.url).port);
    expect(attempts[3]?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': 'channels/{id}/',
      'server.address': '127.0.0.1',
      'server.port': port,
      // The full URL, each query value redacted.
      'url.full': `${server.url}/api/v1/channels/1/?api_key=REDACTED&page=REDACTED`,
    });
    // The login after the 401 is a request too, under the request that needed it.
    const [login] = clientSpans('POST auth/login/');
    expect(parentOf(login)).toBe(idOf(request));
    expect(outcome(login as ReadableSpan)).toEqual([200, undefined, undefined]);

    // Each attempt is one `http.client.request.duration` data point, by its outcome.
    const sent = (await points('http.client.request.duration')).map((p) => ({
      status: p.attributes['http.response.status_code'],
      error: p.attributes['error.type'],
      method: p.attributes['http.request.method'],
      count: (p.value as { count: number }).count,
    }));
    expect(sent).toEqual(
      expect.arrayContaining([
        { status: 200, error: 'OMNITRON_RESPONSE', method: 'GET', count: 1 },
        { status: 401, error: '401', method: 'GET', count: 1 },
        { status: 503, error: '503', method: 'GET', count: 1 },
        { status: 200, error: undefined, method: 'GET', count: 1 },
        { status: 200, error: undefined, method: 'POST', count: 1 },
      ]),
    );

    // No credential, token or query value in any span or metric.
    const everything = inspect([spans.getFinishedSpans(), await reader.collect()], {
      depth: Number.POSITIVE_INFINITY,
    });
    for (const secret of [PASSWORD, STALE, 'tok-fresh-1', 'query-secret-value', 'Authorization', 'Token '])
      expect(everything).not.toContain(secret);
  });

  it('a dropped connection: the attempt fails with the network error code, not its message', async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-1' });
      calls += 1;
      return calls === 1 ? res.socket?.destroy() : valid(res);
    });
    const client = probe(server.url).transport;

    await client.request('GET', 'channels/1/', { schema: Channel });

    const attempts = clientSpans('GET ');
    expect(attempts.map(outcome)).toEqual([
      [undefined, 'UND_ERR_SOCKET', undefined],
      [200, undefined, 1],
    ]);
    expect(attempts[0]?.status).toEqual({ code: 2, message: 'UND_ERR_SOCKET' });
    expect(attempts[0]?.events).toEqual([]);
  });

  it('an attempt that timed out fails as timeout, and the next is a resend', async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-1' });
      calls += 1;
      // The first answer never comes (the client gives up first); the second is served.
      return calls === 1 ? undefined : valid(res);
    });
    const client = probe(server.url, { timeout: 200 }).transport;

    await client.request('GET', 'channels/1/', { schema: Channel });

    expect(clientSpans('GET ').map(outcome)).toEqual([
      [undefined, 'timeout', undefined],
      [200, undefined, 1],
    ]);
  });

  it('a create sent again after a look-up found nothing carries its resend count', async () => {
    let creates = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-1' });
      creates += 1;
      return creates === 1 ? busy(res) : json(res, 201, { pk: 7, name: 'made' });
    });
    const client = probe(server.url).transport;
    const create = () =>
      client.request('POST', 'channel/1/things/', { json: { name: 'made' }, schema: Channel });
    const options = {
      retry: { limit: 2, baseDelay: 1, backoffLimit: 5 },
      settleTime: 1,
      parkTime: 1,
      what: 'thing',
    };

    await createBehindLookup(create, async () => null, options);

    // POSTs are never retried by the transport: the second is the look-up's resend, a request of its own.
    expect(clientSpans('POST channel').map(outcome)).toEqual([
      [503, '503', undefined],
      [201, undefined, 1],
    ]);
  });
});
