import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OmnitronNetworkError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

// Each attempt is sent by the transport itself (ky's `beforeRequest` hook), not by ky's fetch step: what a
// `fetch` given to the SDK receives, and the timeouts ky's fetch step used to keep, checked from outside.

const Channel = z.object({ pk: z.number(), name: z.string() });
const Created = z.object({ pk: z.number() });
const LOGIN = '/api/v1/auth/login/';

/** A server that logs in and answers every other request with `{ pk: 1, name: 'c' }`, keeping their bodies. */
async function omnitron() {
  const bodies: string[] = [];
  const server = await tinyServer((req, res, body) => {
    if (req.url === LOGIN) return json(res, 200, { key: 'tok-attempt-1' });
    bodies.push(body);
    return json(res, 200, { pk: 1, name: 'c' });
  });
  return { url: server.url, bodies };
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e,
  );

/** A `fetch` that never answers and never looks at its signal; it keeps each call's signal. */
function deafFetch(base: typeof fetch) {
  const signals: AbortSignal[] = [];
  const deaf: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/auth/login/')) return base(input, init);
    if (init?.signal) signals.push(init.signal);
    return new Promise<Response>(() => undefined);
  };
  return { deaf, signals };
}

describe('what a fetch given to the SDK receives', () => {
  it('the URL, the method, the headers and the JSON body as a string; new Request(input, init) is the request', async () => {
    const { url, bodies } = await omnitron();
    const seen: { input: unknown; init: RequestInit | undefined; request: Request }[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push({ input, init, request: new Request(input, init) });
      return fetch(input, init);
    };
    const client = probe(url, { fetch: recording }).transport;
    await expect(
      client.request('POST', 'orders/', { json: { number: 'N-1', amount: '10.00' }, schema: Created }),
    ).resolves.toEqual({ pk: 1 });

    const create = seen.find((s) => s.request.url.endsWith('/api/v1/orders/'));
    expect(create).toBeDefined();
    expect(typeof create?.input).toBe('string');
    expect(create?.init?.method).toBe('POST');
    expect(create?.init?.body).toBe('{"number":"N-1","amount":"10.00"}');
    expect(create?.init?.redirect).toBe('manual');
    expect(create?.request.headers.get('authorization')).toBe('Token tok-attempt-1');
    expect(create?.request.headers.get('content-type')).toBe('application/json');
    expect(await create?.request.text()).toBe('{"number":"N-1","amount":"10.00"}');
    // What the server got is what was given.
    expect(bodies).toEqual(['{"number":"N-1","amount":"10.00"}']);
  });

  it('a GET has no body and a query in its URL', async () => {
    const { url } = await omnitron();
    const inits: (RequestInit | undefined)[] = [];
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      inits.push(init);
      return fetch(input, init);
    };
    await probe(url, { fetch: recording }).transport.request('GET', 'channels/1/', {
      query: { status: ['400', '450'], page: 2 },
      schema: Channel,
    });
    expect(urls.at(-1)).toMatch(/\/api\/v1\/channels\/1\/\?status=400&status=450&page=2$/);
    expect(inits.at(-1)?.method).toBe('GET');
    expect(inits.at(-1)?.body ?? null).toBeNull();
  });
});

describe("the attempt's own timeout and the call's deadline", () => {
  it('times out an attempt whose fetch ignores its signal, aborts that signal, and retries a GET', async () => {
    const { url } = await omnitron();
    const { deaf, signals } = deafFetch(fetch);
    const error = await caught(
      probe(url, {
        fetch: deaf,
        timeout: 100,
        deadline: 5000,
        retry: { limit: 1, baseDelay: 1, backoffLimit: 5 },
      }).transport.request('GET', 'channels/1/', { schema: Channel }),
    );
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expect((error as OmnitronNetworkError).message).toBe('Omnitron did not answer GET channels/1/ in time');
    // Two attempts (the retry limit is 1), each aborted when its timeout passed.
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('aborts the attempt under way when the deadline passes, with the deadline’s error', async () => {
    const { url } = await omnitron();
    const { deaf, signals } = deafFetch(fetch);
    const error = await caught(
      probe(url, { fetch: deaf, timeout: 10_000, deadline: 150 }).transport.request('GET', 'channels/1/', {
        schema: Channel,
      }),
    );
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).message).toMatch(/within the deadline of 150 ms/);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('sends no attempt after the deadline, however long the backoff before it would have been', async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === LOGIN) return json(res, 200, { key: 'tok-attempt-2' });
      calls += 1;
      return json(res, 503, { detail: 'busy' });
    });
    const client = probe(server.url, {
      deadline: 200,
      retry: { limit: 3, baseDelay: 60_000, backoffLimit: 60_000 },
    }).transport;
    const error = await caught(client.request('GET', 'channels/1/', { schema: Channel }));
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).message).toMatch(/within the deadline of 200 ms/);
    const atError = calls;
    // ky's wait is capped at the deadline: the retry after it finds the deadline passed and sends nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(atError).toBe(1);
    expect(calls).toBe(atError);
  });
});
