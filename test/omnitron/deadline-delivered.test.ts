import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  OmnitronNetworkError,
  OmnitronResponseError,
  OmnitronServerError,
  OmnitronValidationError,
} from '../../src/index.js';
import { wasDelivered } from '../../src/omnitron/delivery.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

/** What a create answer must hold, like the SDK's wire schemas. */
const Created = z.object({ pk: z.number(), created_date: z.string() });

/** A tiny Omnitron whose login works and whose create endpoint answers as `answer` says. */
async function createAnswering(answer: Parameters<typeof tinyServer>[0]) {
  const server = await tinyServer((req, res, body) =>
    req.url === '/api/v1/auth/login/'
      ? json(res, 200, { key: 'tok-delivered-1234' })
      : answer(req, res, body),
  );
  const omnitron = probe(server.url, { timeout: 300, deadline: 1000 });
  const create = () =>
    omnitron.transport.request('POST', 'channel/1/batch_requests/', { json: { a: 1 }, schema: Created });
  const posts = () => server.requests.filter((r) => r.startsWith('POST /api/v1/channel/')).length;
  return { create, posts };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should fail'),
    (e: unknown) => e,
  );

describe('a 2xx answer that cannot be used says the request was delivered', () => {
  it.each([
    ['lacks a field the SDK requires', (res: Parameters<typeof json>[0]) => json(res, 201, { pk: 7 })],
    ['is not JSON', (res: Parameters<typeof json>[0]) => res.writeHead(201).end('<html>created</html>')],
    ['is cut off', (res: Parameters<typeof json>[0]) => res.writeHead(201).end('{"pk": 7, "created_d')],
  ])('an answer to a create that %s: delivered, with the 2xx status, sent once', async (_what, send) => {
    const { create, posts } = await createAnswering((_req, res) => send(res));
    const error = await failure(create());
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).http).toMatchObject({ method: 'POST', status: 201 });
    expect((error as OmnitronResponseError).delivered).toBe(true);
    expect((error as OmnitronResponseError).details()).toMatchObject({ delivered: true });
    expect(wasDelivered(error)).toBe(true);
    expect(posts()).toBe(1);
  });

  it('a 201 whose body never ends: timed out, and delivered', async () => {
    const { create } = await createAnswering((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' }).write('{');
    });
    const error = await failure(create());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expect((error as OmnitronNetworkError).http?.status).toBe(201);
    expect(wasDelivered(error)).toBe(true);
  });

  it('a 201 whose connection drops mid-body: delivered', async () => {
    const { create } = await createAnswering((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '100' }).write('{"pk":');
      setTimeout(() => res.destroy(), 20);
    });
    const error = await failure(create());
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect(wasDelivered(error)).toBe(true);
  });

  it.each([
    ['a 500', (res: Parameters<typeof json>[0]) => json(res, 500, { detail: 'boom' }), OmnitronServerError],
    ['a 400', (res: Parameters<typeof json>[0]) => json(res, 400, { pk: ['bad'] }), OmnitronValidationError],
    ['no answer', () => undefined, OmnitronNetworkError],
    ['a dropped connection', (res: Parameters<typeof json>[0]) => res.destroy(), OmnitronNetworkError],
  ])('%s is not delivered: its fate is unknown or it was refused', async (_what, send, type) => {
    const { create } = await createAnswering((_req, res) => send(res));
    const error = await failure(create());
    expect(error).toBeInstanceOf(type);
    expect(wasDelivered(error)).toBe(false);
  });

  it('anything that is not an Omnitron error is not delivered', () => {
    expect(wasDelivered(new Error('x'))).toBe(false);
    expect(wasDelivered(undefined)).toBe(false);
  });
});
