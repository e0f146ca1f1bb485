import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ChannelAppError,
  InvalidOptionsError,
  OmnitronAuthError,
  OmnitronNetworkError,
  OmnitronResponseError,
  OmnitronRestIntegration,
  OmnitronServerError,
  OmnitronValidationError,
  OrderService,
} from '../../src/index.js';
import {
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { json, probe, tinyServer } from './omnitron-servers.js';

/** Recognisable secrets: any of them in any rendering of an error is a leak. */
const PASSWORD = 'Pw-LEAK-4b7e1c9d';
const WRONG_PASSWORD = 'Pw-LEAK-wrong-77e3';
const TOKEN = 'tok-LEAK-8a2f6e0c31';
const URL_PASSWORD = 'urlpass-LEAK-55aa';
const FAST = { limit: 2, baseDelay: 1, backoffLimit: 5 };

/**
 * The four renderings the issue names (`util.inspect` at full depth, `JSON.stringify`, `message`,
 * `stack`), plus `details()`, of the error and of every cause below it.
 */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current != null && !seen.has(current); ) {
    seen.add(current);
    out.push(inspect(current, { depth: Number.POSITIVE_INFINITY }), JSON.stringify(current) ?? '');
    if (current instanceof Error) out.push(current.message, current.stack ?? '');
    if (current instanceof ChannelAppError) out.push(JSON.stringify(current.details()));
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

/** Fails with the leaks found, and when a cause is a third-party object (an error of ky or fetch). */
function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  expect(error).toBeInstanceOf(ChannelAppError);
  const leaks: string[] = [];
  for (const [index, text] of renderings(error).entries()) {
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      if (at >= 0)
        leaks.push(`${secret} in rendering ${index}: …${text.slice(Math.max(0, at - 80), at + 40)}…`);
    }
  }
  expect(leaks).toEqual([]);
  for (let cause = (error as Error).cause; cause != null; cause = (cause as { cause?: unknown }).cause) {
    // Our own errors, plain snapshots, or zod's list of issues (of the options): never an error of ky or
    // fetch, which hold the request's headers and options.
    const plain = Object.getPrototypeOf(cause) === Object.prototype;
    const ok = cause instanceof ChannelAppError || cause instanceof z.ZodError || plain;
    expect(ok, `cause ${inspect(cause, { depth: 0 })}`).toBe(true);
  }
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e,
  );

/** A tiny Omnitron whose login answers TOKEN; `onRequest` answers everything else. */
function withLogin(onRequest: Parameters<typeof tinyServer>[0]) {
  return tinyServer((req, res, body) =>
    req.url === '/api/v1/auth/login/' ? json(res, 200, { key: TOKEN }) : onRequest(req, res, body),
  );
}

const mocks: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((s) => s.close()));
});

async function mockOmnitron() {
  const server = await createMockOmnitronServer({
    credentials: { username: 'app-user', password: PASSWORD },
  });
  mocks.push(server);
  const connect = (password = PASSWORD, timeout = 2000) =>
    new OmnitronRestIntegration({
      baseUrl: server.url,
      username: 'app-user',
      password,
      channelId: 1,
      timeout,
      retry: FAST,
    });
  return { server, connect };
}

describe('Omnitron errors against the mock Omnitron hold no password and no token', () => {
  it('login refused (400 with non_field_errors)', async () => {
    const { connect } = await mockOmnitron();
    const error = await caught(connect(WRONG_PASSWORD).getChannel());
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect((error as OmnitronAuthError).http).toMatchObject({
      method: 'POST',
      path: 'auth/login/',
      status: 400,
    });
    expectNoSecret(error, [WRONG_PASSWORD, PASSWORD]);
  });

  it('a timeout, a 503 after every retry and a garbled answer', async () => {
    const { server, connect } = await mockOmnitron();
    const omnitron = connect(PASSWORD, 150);
    await omnitron.getChannel(); // logged in: the token is in every request from here on
    const stop = server.inject({ match: 'GET /api/v1/channels/', kind: 'timeout' });
    const timedOut = await caught(omnitron.getChannel());
    stop();
    expect(timedOut).toBeInstanceOf(OmnitronNetworkError);
    expect((timedOut as OmnitronNetworkError).timedOut).toBe(true);
    server.inject({ match: 'GET /api/v1/channels/', kind: 'status', status: 503, times: FAST.limit + 1 });
    const failed = await caught(omnitron.getChannel());
    expect(failed).toBeInstanceOf(OmnitronServerError);
    server.inject({ match: 'GET /api/v1/channels/', kind: 'malformed', times: FAST.limit + 1 });
    const garbled = await caught(omnitron.getChannel());
    expect(garbled).toBeInstanceOf(OmnitronResponseError);
    expect(server.issuedTokens.length).toBeGreaterThan(0);
    for (const error of [timedOut, failed, garbled])
      expectNoSecret(error, [PASSWORD, ...server.issuedTokens]);
  });

  it('per-order errors in a flow result (create_orders answering 500)', async () => {
    const { server, connect } = await mockOmnitron();
    const service = new OrderService({
      omnitron: connect(),
      channel: new ScriptedChannel({ orders: [buildChannelOrder()] }),
    });
    server.inject({ match: 'POST /api/v1/channel/1/create_orders/', kind: 'status', status: 500 });
    const result = await service.fetchAndCreateOrder();
    const errors = result.items.flatMap((i) => (i.error ? [i.error] : []));
    expect(errors.length).toBe(1);
    for (const error of errors) expectNoSecret(error, [PASSWORD, ...server.issuedTokens]);
  });
});

describe('Omnitron errors against hostile servers hold no password and no token', () => {
  it('login refused with 401 and a body that echoes the password', async () => {
    const server = await tinyServer((_req, res, body) => json(res, 401, { detail: `bad login ${body}` }));
    const error = await caught(probe(server.url, { password: PASSWORD }).getChannel());
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect((error as OmnitronAuthError).http?.status).toBe(401);
    expectNoSecret(error, [PASSWORD]);
  });

  it('login answered 500 (retried like a GET) with the password echoed', async () => {
    const server = await tinyServer((_req, res) =>
      json(res, 500, { password: PASSWORD, detail: `no ${PASSWORD}` }),
    );
    const error = await caught(probe(server.url, { password: PASSWORD, retry: FAST }).getChannel());
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect(server.requests.length).toBe(FAST.limit + 1);
    expectNoSecret(error, [PASSWORD]);
  });

  it('a 401, then the fresh login fails with 500', async () => {
    let logins = 0;
    const server = await tinyServer((req, res) => {
      if (req.url !== '/api/v1/auth/login/')
        return json(res, 401, { detail: `Invalid token ${req.headers.authorization}` });
      logins += 1;
      return logins === 1 ? json(res, 200, { key: TOKEN }) : json(res, 500, { detail: 'down' });
    });
    const error = await caught(
      probe(server.url, { password: PASSWORD, retry: { ...FAST, limit: 0 } }).getChannel(),
    );
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect(logins).toBe(2);
    expectNoSecret(error, [PASSWORD, TOKEN]);
  });

  it('a 401 again after the fresh login', async () => {
    const tokens: string[] = [];
    const server = await tinyServer((req, res) => {
      if (req.url !== '/api/v1/auth/login/')
        return json(res, 401, { detail: `Invalid token ${req.headers.authorization}` });
      tokens.push(`${TOKEN}-${tokens.length}`);
      return json(res, 200, { key: tokens.at(-1) });
    });
    const error = await caught(probe(server.url, { password: PASSWORD }).getChannel());
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect(tokens.length).toBe(2);
    expectNoSecret(error, [PASSWORD, ...tokens]);
  });

  it('a closed port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const address = s.address();
        s.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await caught(
      probe(`http://127.0.0.1:${port}`, { password: PASSWORD, retry: FAST }).getChannel(),
    );
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).requestBody).toContain('[REDACTED]');
    expectNoSecret(error, [PASSWORD]);
  });

  it('no answer before the timeout', async () => {
    const server = await withLogin(() => undefined);
    const error = await caught(
      probe(server.url, { password: PASSWORD, timeout: 100, retry: FAST }).getChannel(),
    );
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
    expectNoSecret(error, [PASSWORD, TOKEN]);
  });

  it('a 502 whose body echoes the Authorization header', async () => {
    const server = await withLogin((req, res) =>
      res
        .writeHead(502, { 'Content-Type': 'text/plain' })
        .end(`upstream said no to Authorization: ${req.headers.authorization}`),
    );
    const error = await caught(probe(server.url, { password: PASSWORD, retry: FAST }).getChannel());
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect((error as OmnitronServerError).responseBody).toContain('upstream said no');
    expectNoSecret(error, [PASSWORD, TOKEN]);
  });

  it('a 400 with field errors, one of them quoting the token', async () => {
    const server = await withLogin((_req, res) =>
      json(res, 400, {
        email: ['Enter a valid email address.'],
        non_field_errors: [`token ${TOKEN} is odd`],
      }),
    );
    const error = await caught(
      probe(server.url, { password: PASSWORD }).transport.request('POST', 'channel/1/customers/', {
        json: { email: 'x', note: TOKEN },
        schema: z.unknown(),
      }),
    );
    expect(error).toBeInstanceOf(OmnitronValidationError);
    expect((error as OmnitronValidationError).fieldErrors.email).toEqual(['Enter a valid email address.']);
    expectNoSecret(error, [PASSWORD, TOKEN]);
  });

  it.each([
    ['not JSON', `<html>Token ${TOKEN} and ${PASSWORD}</html>`],
    ['JSON of the wrong shape', JSON.stringify({ id: TOKEN, name: PASSWORD, echo: `${TOKEN} ${PASSWORD}` })],
    ['cut-off JSON', `{"id": 1, "token": "${TOKEN}`],
  ])('a 200 answer that is %s and echoes the token and the password', async (_what, body) => {
    const server = await withLogin((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body),
    );
    const error = await caught(probe(server.url, { password: PASSWORD, retry: FAST }).getChannel());
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expectNoSecret(error, [PASSWORD, TOKEN]);
  });

  it.each([
    ['not JSON', 'key=tok-LEAK-unknown-1234'],
    [
      'JSON of the wrong shape',
      JSON.stringify({ key: 12, token: 'tok-LEAK-unknown-1234', password: PASSWORD }),
    ],
    ['cut-off JSON', '{"key": "tok-LEAK-unknown-1234'],
  ])('a login answer that is %s: its body (the token) is never kept', async (_what, body) => {
    const server = await tinyServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body),
    );
    const error = await caught(probe(server.url, { password: PASSWORD, retry: FAST }).getChannel());
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expectNoSecret(error, [PASSWORD, 'tok-LEAK-unknown-1234']);
  });
});

describe('credentials in baseUrl', () => {
  it('are refused with InvalidOptionsError naming baseUrl, without repeating the password', () => {
    let error: unknown;
    try {
      new OmnitronRestIntegration({
        baseUrl: `https://app-user:${URL_PASSWORD}@omnitron.example.com`,
        username: 'app-user',
        password: PASSWORD,
        channelId: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toEqual([
      'baseUrl: must not contain a user name or password (give them as username and password)',
    ]);
    expectNoSecret(error, [URL_PASSWORD, PASSWORD]);
  });
});

describe('secrets a hostile or careless server sends back', () => {
  it('a URL without a scheme (`user:password@host`) is refused, not read as a scheme', () => {
    for (const baseUrl of [`app-user:${URL_PASSWORD}@127.0.0.1:1`, 'localhost:8000']) {
      let error: unknown;
      try {
        new OmnitronRestIntegration({ baseUrl, username: 'app-user', password: PASSWORD, channelId: 1 });
      } catch (e) {
        error = e;
      }
      expect(error, baseUrl).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).problems[0]).toMatch(/^baseUrl: must be an http or https URL/);
      expectNoSecret(error, [URL_PASSWORD, PASSWORD]);
    }
  });

  it.each([307, 308, 302])(
    'a login redirected (%i) to another address is not followed there',
    async (status) => {
      const elsewhere = await tinyServer((_req, res) => json(res, 200, { key: TOKEN }));
      const server = await tinyServer((_req, res) =>
        res.writeHead(status, { Location: `${elsewhere.url}/api/v1/auth/login/` }).end(),
      );
      const error = await caught(probe(server.url, { password: PASSWORD, retry: FAST }).getChannel());
      // The password went to the configured address only.
      expect(elsewhere.requests).toEqual([]);
      expect(error).toBeInstanceOf(OmnitronResponseError);
      expect((error as Error).message).toMatch(/redirect/);
      expectNoSecret(error, [PASSWORD]);
    },
  );

  it("Omnitron's error code and field names quoting the token are redacted", async () => {
    const server = await withLogin((req, res) =>
      req.method === 'PATCH'
        ? json(res, 406, { error_code: TOKEN, non_field_errors: ['refused'] })
        : json(res, 400, { [TOKEN]: ['is not a field'], [PASSWORD]: 'nor this' }),
    );
    const omnitron = probe(server.url, { password: PASSWORD, retry: FAST });
    const conflict = await caught(
      omnitron.transport.request('PATCH', 'x/', { json: {}, schema: z.unknown() }),
    );
    const invalid = await caught(omnitron.transport.request('POST', 'x/', { json: {}, schema: z.unknown() }));
    expect(invalid).toBeInstanceOf(OmnitronValidationError);
    for (const error of [conflict, invalid]) expectNoSecret(error, [TOKEN, PASSWORD]);
  });

  it("a marketplace's refusal that quotes a key listed in secrets is redacted", async () => {
    const { InMemoryOmnitron } = await import('../../src/testing/index.js');
    const key = 'mp-KEY-LEAK-6c1d2e';
    const omnitron = new InMemoryOmnitron();
    const order = buildChannelOrder();
    const channel = new ScriptedChannel({
      orders: [order],
      sendUpdatedOrders: ({ orders }) => ({
        status: 'done',
        results: orders.map(({ order: o }) => ({
          number: o.number,
          status: 'FAIL',
          message: `api_key=${key}`,
        })),
      }),
    });
    const service = new OrderService({ omnitron, channel, secrets: [key] });
    await service.fetchAndCreateOrder();
    const stored = omnitron.store.findOrderByNumber(order.number);
    omnitron.store.touchOrder(stored?.id ?? 0, { status: '450' });
    const result = await service.updateOrders();
    const errors = result.items.flatMap((i) => (i.error ? [i.error] : []));
    expect(errors.map((e) => e.code)).toEqual(['REMOTE_REJECTED']);
    for (const error of errors) expectNoSecret(error, [key]);
  });
});
