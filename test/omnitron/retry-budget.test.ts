import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  OmnitronAuthError,
  OmnitronError,
  OmnitronResponseError,
  OmnitronServerError,
  type TokenStore,
} from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const LIMIT = 2;
const FAST = { limit: LIMIT, baseDelay: 1, backoffLimit: 5 };
const CHANNEL = { pk: 1, name: 'c' };
const Channel = z.object({ pk: z.number(), name: z.string() });

/** A token store that always has a token Omnitron no longer takes: the first 401 is the only login. */
const staleStore: TokenStore = {
  get: async () => 'tok-stale-0000',
  set: async () => undefined,
  delete: async () => undefined,
};

/** Answers one request of the API (never a login). */
type Answer = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A real HTTP server: logins get `tok-fresh-<n>`; the n-th other request (from 0) gets `answers[n]`, the
 * last one again once they run out. It counts both, and keeps what each request carried.
 */
async function omnitron(answers: Answer[]) {
  const seen = { logins: 0, calls: [] as { method: string; authorization: string; body: string }[] };
  const server = await tinyServer((req, res, body) => {
    if (req.url === '/api/v1/auth/login/') {
      seen.logins += 1;
      return json(res, 200, { key: `tok-fresh-${seen.logins}` });
    }
    const n = seen.calls.push({
      method: req.method ?? '',
      authorization: req.headers.authorization ?? '',
      body,
    });
    return (answers[n - 1] ?? answers.at(-1))?.(req, res, body);
  });
  return { server, seen };
}

const garbled: Answer = (_req, res) =>
  res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>bad gateway</html>');
const unavailable: Answer = (_req, res) => json(res, 503, { detail: 'busy' });
const valid: Answer = (_req, res) => json(res, 200, CHANNEL);
const refused: Answer = (_req, res) => json(res, 401, { detail: 'Invalid token.' });

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e,
  );

/** Every error in the cause chain is the SDK's own or a plain snapshot: never ky's `ForceRetryError`. */
function expectOwnCauses(error: unknown): void {
  for (let cause: unknown = error; cause != null; cause = (cause as { cause?: unknown }).cause) {
    const own = cause instanceof OmnitronError || Object.getPrototypeOf(cause) === Object.prototype;
    expect(own, `cause ${String(cause)}`).toBe(true);
    expect((cause as { name?: unknown }).name).not.toBe('ForceRetryError');
  }
}

describe('one retry budget per request, whatever fails', () => {
  it('asks an always-garbled GET exactly limit+1 times, then fails with a typed error', async () => {
    const { server, seen } = await omnitron([garbled]);
    const error = await caught(
      probe(server.url, { retry: FAST }).transport.request('GET', 'channels/1/', { schema: Channel }),
    );
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).message).toBe(
      'Omnitron answered GET channels/1/ with a body that is not JSON',
    );
    expect((error as OmnitronResponseError).delivered).toBe(true);
    expect(seen.calls).toHaveLength(LIMIT + 1);
    expectOwnCauses(error);
  });

  it('succeeds after a 503, a garbled answer and a valid one: three GETs', async () => {
    const { server, seen } = await omnitron([unavailable, garbled, valid]);
    await expect(
      probe(server.url, { retry: FAST }).transport.request('GET', 'channels/1/', { schema: Channel }),
    ).resolves.toEqual(CHANNEL);
    expect(seen.calls).toHaveLength(3);
  });

  it('counts 5xx and garbled answers against the same budget', async () => {
    // limit 2: a third failure of either kind ends the request; nothing nests a second budget.
    const { server, seen } = await omnitron([unavailable, garbled, unavailable, valid]);
    const error = await caught(
      probe(server.url, { retry: FAST }).transport.request('GET', 'channels/1/', { schema: Channel }),
    );
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect((error as OmnitronServerError).http?.status).toBe(503);
    expect(seen.calls).toHaveLength(LIMIT + 1);
    expectOwnCauses(error);
  });
});

describe('a refused token', () => {
  it('401 then 200: one login, two GETs, the second with the fresh token', async () => {
    const { server, seen } = await omnitron([refused, valid]);
    const client = probe(server.url, { retry: FAST, tokenStore: staleStore }).transport;
    await expect(client.request('GET', 'channels/1/', { schema: Channel })).resolves.toEqual(CHANNEL);
    expect(seen.logins).toBe(1);
    expect(seen.calls.map((c) => c.authorization)).toEqual(['Token tok-stale-0000', 'Token tok-fresh-1']);
  });

  it('401 always: exactly one fresh login, then OmnitronAuthError', async () => {
    const { server, seen } = await omnitron([refused]);
    const client = probe(server.url, { retry: FAST, tokenStore: staleStore }).transport;
    const error = await caught(client.request('GET', 'channels/1/', { schema: Channel }));
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect((error as OmnitronAuthError).http?.status).toBe(401);
    expect(seen.logins).toBe(1);
    expect(seen.calls).toHaveLength(2);
    expectOwnCauses(error);
  });

  it('401 to a POST: the POST is sent again, body and all, with the fresh token', async () => {
    const { server, seen } = await omnitron([refused, (_req, res) => json(res, 201, { pk: 7, name: 'n' })]);
    const client = probe(server.url, { retry: FAST, tokenStore: staleStore }).transport;
    await expect(
      client.request('POST', 'things/', { json: { name: 'n' }, schema: Channel }),
    ).resolves.toEqual({ pk: 7, name: 'n' });
    expect(seen.logins).toBe(1);
    expect(seen.calls).toEqual([
      { method: 'POST', authorization: 'Token tok-stale-0000', body: '{"name":"n"}' },
      { method: 'POST', authorization: 'Token tok-fresh-1', body: '{"name":"n"}' },
    ]);
  });

  it('a 401 is resent even with no retries at all (limit 0)', async () => {
    const { server, seen } = await omnitron([refused, valid]);
    const client = probe(server.url, { retry: { ...FAST, limit: 0 }, tokenStore: staleStore }).transport;
    await expect(client.request('GET', 'channels/1/', { schema: Channel })).resolves.toEqual(CHANNEL);
    expect(seen.logins).toBe(1);
    expect(seen.calls).toHaveLength(2);
  });

  it('the resend after a 401 is not taken from the budget', async () => {
    // limit 1 is spent on the 503; the 401's resend still happens.
    const { server, seen } = await omnitron([unavailable, refused, valid]);
    const client = probe(server.url, { retry: { ...FAST, limit: 1 }, tokenStore: staleStore }).transport;
    await expect(client.request('GET', 'channels/1/', { schema: Channel })).resolves.toEqual(CHANNEL);
    expect(seen.logins).toBe(1);
    expect(seen.calls).toHaveLength(3);
  });
});

describe('a POST is never sent twice once carried out', () => {
  it('a garbled 201 to a POST: one POST, and the error says delivered', async () => {
    const { server, seen } = await omnitron([
      (_req, res) => res.writeHead(201, { 'Content-Type': 'text/html' }).end('<html>created</html>'),
    ]);
    const error = await caught(
      probe(server.url, { retry: FAST }).transport.request('POST', 'things/', {
        json: { name: 'n' },
        schema: Channel,
      }),
    );
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).delivered).toBe(true);
    expect((error as OmnitronResponseError).http?.status).toBe(201);
    expect(seen.calls).toHaveLength(1);
    expectOwnCauses(error);
  });
});
