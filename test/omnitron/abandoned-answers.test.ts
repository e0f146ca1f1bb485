import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OmnitronError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';
import { recordUnhandledRejections } from '../support.js';

const LOGIN = '/api/v1/auth/login/';

// ky aborts one signal for every attempt of a request (its timeout, or the deadline), and undici then
// cancels the body of every earlier answer still open on that signal; an answer the transport retried
// past must be closed by then, or that cancel rejects with nobody listening.
const unhandled = recordUnhandledRejections();

/** Lets Node report rejections left without a handler: it does so once the current macrotask is over. */
async function afterPendingRejections(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('answers the transport retries past leave no rejection without a handler', () => {
  it('a 503 retried, then an attempt that times out', async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === LOGIN) return json(res, 200, { key: 'tok-abandoned-1234' });
      calls += 1;
      // The first attempt is refused with a retried status; the next never answers, so ky's timeout aborts.
      if (calls === 1) json(res, 503, { detail: 'busy' });
    });
    // Long enough that a loaded machine still gets the retry to the server before the attempt times out.
    const omnitron = probe(server.url, { timeout: 1000, retry: { limit: 1, baseDelay: 1, backoffLimit: 5 } });
    const failed = await omnitron.transport
      .request('GET', 'things/', { schema: z.unknown() })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OmnitronError);
    expect(calls).toBe(2);
    await afterPendingRejections();
    expect(unhandled).toEqual([]);
  });

  it('429s and 503s retried until the deadline passes', async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      if (req.url === LOGIN) return json(res, 200, { key: 'tok-abandoned-1234' });
      calls += 1;
      const status = calls % 2 ? 503 : 429;
      // Slow enough that the attempts the policy allows outlast the deadline.
      setTimeout(() => json(res, status, { detail: 'busy' }), 60);
    });
    const omnitron = probe(server.url, {
      timeout: 1000,
      deadline: 300,
      retry: { limit: 10, baseDelay: 5, backoffLimit: 20 },
    });
    const failed = await omnitron.transport
      .request('PATCH', 'things/1/', { json: { a: 1 }, schema: z.unknown() })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ timedOut: true });
    expect(calls).toBeGreaterThan(1);
    await afterPendingRejections();
    expect(unhandled).toEqual([]);
  });
});
