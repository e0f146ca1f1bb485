import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OmnitronAuthError, OmnitronResponseError, type TokenStore } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

// The resend after a refused token sits between attempts that do count: these pin down that the budget
// is still `limit + 1` attempts around it, and that a request logs in afresh once at most.

const Channel = z.object({ pk: z.number(), name: z.string() });
const CHANNEL = { pk: 1, name: 'c' };

/** A token store holding a token Omnitron no longer takes, so the first 401 is the only login. */
const staleStore: TokenStore = {
  get: async () => 'tok-stale-0000',
  set: async () => undefined,
  delete: async () => undefined,
};

type Answer = (res: ServerResponse) => void;
const garbled: Answer = (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>oops</html>');
const unavailable: Answer = (res) => json(res, 503, { detail: 'busy' });
const refused: Answer = (res) => json(res, 401, { detail: 'Invalid token.' });
const valid: Answer = (res) => json(res, 200, CHANNEL);

/** Logins get `tok-fresh-<n>`; the n-th other request gets `answers[n]`, the last one once they run out. */
async function omnitron(answers: Answer[]) {
  const seen = { logins: 0, calls: 0 };
  const server = await tinyServer((req, res) => {
    if (req.url === '/api/v1/auth/login/') {
      seen.logins += 1;
      return json(res, 200, { key: `tok-fresh-${seen.logins}` });
    }
    seen.calls += 1;
    return (answers[seen.calls - 1] ?? answers.at(-1))?.(res);
  });
  return { server, seen };
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e,
  );

describe('the budget around a refused token', () => {
  it('a 401 between garbled answers: still limit+1 counted attempts, plus the one resend', async () => {
    // limit 2: garbled, 401 (not counted), garbled, garbled: the third counted attempt ends it.
    const { server, seen } = await omnitron([garbled, refused, garbled, garbled, valid]);
    const client = probe(server.url, {
      retry: { limit: 2, baseDelay: 1, backoffLimit: 5 },
      tokenStore: staleStore,
    }).transport;
    const error = await caught(client.request('GET', 'channels/1/', { schema: Channel }));
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect(seen.calls).toBe(4);
    expect(seen.logins).toBe(1);
  });

  it('a 401 after the budget is spent on 503s: the resend still happens and can succeed', async () => {
    const { server, seen } = await omnitron([unavailable, unavailable, refused, valid]);
    const client = probe(server.url, {
      retry: { limit: 2, baseDelay: 1, backoffLimit: 5 },
      tokenStore: staleStore,
    }).transport;
    await expect(client.request('GET', 'channels/1/', { schema: Channel })).resolves.toEqual(CHANNEL);
    expect(seen.calls).toBe(4);
  });

  it('a POST refused twice: one fresh login, two POSTs, then OmnitronAuthError', async () => {
    const { server, seen } = await omnitron([refused]);
    const client = probe(server.url, { tokenStore: staleStore }).transport;
    const error = await caught(client.request('POST', 'things/', { json: { name: 'n' }, schema: Channel }));
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect((error as OmnitronAuthError).http?.status).toBe(401);
    expect(seen.logins).toBe(1);
    expect(seen.calls).toBe(2);
  });

  it('a second 401 in one request, after retries, gets no second fresh login', async () => {
    // No stored token: the request logs in first, then the 401 renews it once; the second 401 ends it.
    const { server, seen } = await omnitron([refused, unavailable, refused, valid]);
    const client = probe(server.url, { retry: { limit: 3, baseDelay: 1, backoffLimit: 5 } }).transport;
    const error = await caught(client.request('GET', 'channels/1/', { schema: Channel }));
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect(seen.logins).toBe(2);
    expect(seen.calls).toBe(3);
  });
});
