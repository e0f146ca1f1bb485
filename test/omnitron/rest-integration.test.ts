import { afterEach, describe, expect, it } from 'vitest';
import {
  InMemoryTokenStore,
  InvalidOptionsError,
  OmnitronAuthError,
  OmnitronNetworkError,
  OmnitronResponseError,
  OmnitronRestIntegration,
  type OmnitronRestIntegrationOptions,
  OmnitronServerError,
  OrderService,
} from '../../src/index.js';
import {
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { capturingLogger, TEST_RETRY } from '../support.js';

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function mock(options: Parameters<typeof createMockOmnitronServer>[0] = {}) {
  const server = await createMockOmnitronServer(options);
  servers.push(server);
  const logs: string[] = [];
  const connect = (extra: Partial<OmnitronRestIntegrationOptions> = {}) =>
    new OmnitronRestIntegration({
      baseUrl: server.url,
      ...server.credentials,
      channelId: 1,
      retry: TEST_RETRY,
      timeout: 2000,
      logger: capturingLogger(logs),
      ...extra,
    });
  return { server, logs, connect, omnitron: connect() };
}

const requestsTo = (server: MockOmnitronServer, pattern: RegExp) =>
  server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`));

describe('OmnitronRestIntegration options', () => {
  it('names each missing or wrong option', () => {
    const error = (() => {
      try {
        new OmnitronRestIntegration({
          baseUrl: 'not a url',
          channelId: 'abc',
        } as unknown as OmnitronRestIntegrationOptions);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    const problems = (error as InvalidOptionsError).problems;
    expect(problems).toContain('username: is required');
    expect(problems).toContain('password: is required');
    expect(problems.some((p) => p.startsWith('baseUrl: must be an http or https URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('channelId:'))).toBe(true);
  });

  it('takes the channel id as a string, as environment variables give it', () => {
    expect(
      new OmnitronRestIntegration({
        baseUrl: 'https://omnitron.example.com',
        username: 'u',
        password: 'p',
        channelId: '7',
      }).channelId,
    ).toBe(7);
  });
});

describe('OmnitronRestIntegration auth', () => {
  it('logs in once for a whole run and reuses the token', async () => {
    const { server, omnitron } = await mock();
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({
        orders: [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()],
      }),
    });
    await service.fetchAndCreateOrder();
    await service.fetchAndCreateOrder();
    expect(server.logins).toBe(1);
    expect(requestsTo(server, /^POST \/api\/v1\/auth\/login\/$/)).toHaveLength(1);
    expect(server.requests.length).toBeGreaterThan(20);
  });

  it('shares tokens through the token store, keyed by Omnitron and user', async () => {
    const { server, connect } = await mock();
    const tokenStore = new InMemoryTokenStore();
    await connect({ tokenStore }).getChannel();
    await connect({ tokenStore }).getChannel();
    expect(server.logins).toBe(1);
    await connect({ tokenStore: new InMemoryTokenStore() }).getChannel();
    expect(server.logins).toBe(2);
  });

  it('logs in again once when Omnitron refuses the token, then carries on', async () => {
    const { server, omnitron } = await mock();
    await omnitron.getChannel();
    server.revokeTokens();
    await expect(omnitron.getChannel()).resolves.toMatchObject({ isActive: true });
    expect(server.logins).toBe(2);
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.outcome}`)).toEqual([
      'POST /api/v1/auth/login/ 200',
      'GET /api/v1/channels/1/ 200',
      'GET /api/v1/channels/1/ 401',
      'POST /api/v1/auth/login/ 200',
      'GET /api/v1/channels/1/ 200',
    ]);
  });

  it('fails with OmnitronAuthError on wrong credentials, without the password anywhere', async () => {
    const { server, connect, logs } = await mock();
    const omnitron = connect({ password: 'wrong-password-123' });
    const error = await omnitron.getChannel().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronAuthError);
    expect((error as OmnitronAuthError).message).toContain(server.credentials.username);
    const everything = JSON.stringify({
      message: (error as Error).message,
      details: (error as OmnitronAuthError).details(),
      logs,
    });
    expect(everything).not.toContain('wrong-password-123');
    // Refused credentials are not retried: that would only lock the account.
    expect(requestsTo(server, /auth\/login/)).toHaveLength(1);
  });
});

describe('OmnitronRestIntegration retries', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const { server, omnitron } = await mock();
    server.inject({ match: 'GET /api/v1/channels/', kind: 'status', status: 429, retryAfter: 1, times: 1 });
    await omnitron.getChannel();
    const [limited, retried] = requestsTo(server, /channels\/1\//);
    expect(limited?.outcome).toBe(429);
    expect(retried?.outcome).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx and succeeds', async () => {
    const { server, omnitron } = await mock();
    server.inject({ match: 'GET /api/v1/channels/', kind: 'status', status: 502, times: 2 });
    await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
    expect(requestsTo(server, /channels\/1\//).map((r) => r.outcome)).toEqual([502, 502, 200]);
  });

  it('turns exhausted 5xx retries into OmnitronServerError, and the flow into a failed batch', async () => {
    const { server, omnitron } = await mock();
    server.inject({
      match: /^PATCH .*batch_requests/,
      kind: 'status',
      status: 503,
      times: TEST_RETRY.limit + 1,
    });
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders: [buildChannelOrder()] }),
    });
    const error = await service.fetchAndCreateOrder().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect((error as OmnitronServerError).http).toMatchObject({ method: 'PATCH', status: 503 });
    expect((error as OmnitronServerError).http?.path).toMatch(/^channel\/1\/batch_requests\/\d+\/$/);
    expect([...server.store.batchRequests.values()].map((b) => b.status)).toEqual(['fail']);
  });

  it('retries a timeout, and reports one that lasts as OmnitronNetworkError', async () => {
    const { server, connect } = await mock();
    const omnitron = connect({ timeout: 150 });
    server.inject({ match: 'GET /api/v1/channels/', kind: 'timeout', times: 1 });
    await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
    server.inject({ match: 'GET /api/v1/channels/', kind: 'timeout' });
    const error = await omnitron.getChannel().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
  });

  it('retries a reset connection', async () => {
    const { server, omnitron } = await mock();
    server.inject({ match: 'GET /api/v1/channels/', kind: 'reset', times: 1 });
    await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
  });
});

describe('OmnitronRestIntegration answers', () => {
  it('retries a body that is not JSON, and reports one that stays garbled as OmnitronResponseError naming the endpoint', async () => {
    const { server, omnitron } = await mock();
    server.inject({ match: 'GET /api/v1/channels/', kind: 'malformed', times: 1 });
    await expect(omnitron.getChannel(), 'one garbled answer is asked again').resolves.toMatchObject({
      id: 1,
    });
    server.inject({ match: 'GET /api/v1/channels/', kind: 'malformed', times: TEST_RETRY.limit + 1 });
    const error = await omnitron.getChannel().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as Error).message).toBe('Omnitron answered GET channels/1/ with a body that is not JSON');
  });

  it('reports an answer of the wrong shape naming the endpoint and the field', async () => {
    const { server, connect } = await mock();
    const fetchWithBadCargo: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('/cargos/')) return response;
      const body = (await response.json()) as { results: Record<string, unknown>[] };
      body.results = body.results.map((c, i) => (i === 1 ? { ...c, erp_code: 42 } : c));
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const error = await connect({ fetch: fetchWithBadCargo })
      .getCargoCompanyByCode('MNG')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronResponseError);
    expect((error as OmnitronResponseError).issues.map((i) => i.path)).toEqual(['results.1.erp_code']);
    expect((error as Error).message).toContain('GET channel/1/cargos/');
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('pages through every page, with retries on later pages too', async () => {
    const { server, connect } = await mock({ maxPageSize: 2 });
    for (let i = 0; i < 4; i += 1) server.store.addCargoCompany({ name: `Cargo ${i}`, erpCode: `C${i}` });
    const omnitron = connect({ pageSize: 2 });
    server.inject({ match: 'GET /api/v1/channel/1/cargos/', kind: 'status', status: 503, times: 1, rate: 1 });
    const company = await omnitron.getCargoCompanyByCode('C3');
    expect(company.name).toBe('Cargo 3');
    const pages = requestsTo(server, /cargos\//).map(
      (r) => `${new URLSearchParams(r.query).get('page')}:${r.outcome}`,
    );
    expect(pages).toEqual(['1:503', '1:200', '2:200', '3:200', '4:200']);
  });
});

describe('OmnitronRestIntegration creates', () => {
  it('does not duplicate an order whose create answer was lost, now or on a re-run', async () => {
    const { server, omnitron } = await mock();
    server.inject({ match: 'POST /api/v1/channel/1/create_orders/', kind: 'lost-response', times: 1 });
    const order = buildChannelOrder();
    const channel = new ScriptedChannel({ orders: [order], acknowledges: false });
    const service = new OrderService({ omnitron, channel });

    const first = await service.fetchAndCreateOrder();
    expect(first.items[0]?.status).toBe('created');
    expect(server.store.orders.size).toBe(1);
    expect(requestsTo(server, /create_orders/).map((r) => r.outcome)).toEqual(['lost-response']);

    const again = await service.fetchAndCreateOrder();
    expect(again.items[0]?.status).toBe('already_present');
    expect(server.store.orders.size).toBe(1);
  });

  it('re-uses an address Omnitron already has: found by its customer, or by the hash Omnitron names', async () => {
    const { server, omnitron, logs } = await mock();
    const customer = await omnitron.getOrCreateCustomer(
      { email: 'a@b.co', firstName: 'A', lastName: 'B' },
      'email',
    );
    const address = buildChannelOrder().shippingAddress;
    const first = await omnitron.getOrCreateAddress(customer, address);
    const second = await omnitron.getOrCreateAddress(customer, address);
    expect(second.id).toBe(first.id);
    expect(requestsTo(server, /POST .*addresses/).map((r) => r.outcome)).toEqual([201]);

    // An Omnitron that refuses the undocumented customer filter: the POST is refused with the hash.
    const refusing = await mock();
    const owner = await refusing.omnitron.getOrCreateCustomer(
      { email: 'a@b.co', firstName: 'A', lastName: 'B' },
      'email',
    );
    refusing.server.inject({ match: /^GET .*\/addresses\/$/, kind: 'status', status: 400, times: 1 });
    const created = await refusing.omnitron.getOrCreateAddress(owner, address);
    const again = await refusing.omnitron.getOrCreateAddress(owner, address);
    expect(again.id).toBe(created.id);
    expect(requestsTo(refusing.server, /POST .*addresses/).map((r) => r.outcome)).toEqual([201, 400]);
    expect(refusing.logs.filter((l) => l.includes('addresses/?customer'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('addresses/?customer'))).toEqual([]);
  });
});

describe('secrets', () => {
  it('never puts the password or a token in a log line, an error or an error report', async () => {
    const { server, omnitron, logs } = await mock();
    const orders = [
      buildChannelOrder(),
      buildChannelOrder({ shippingAddress: { city: 'Atlantis' }, billingAddress: { city: 'Atlantis' } }),
      buildChannelOrder(),
    ];
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders }),
      logger: capturingLogger(logs),
      isSuccessLog: true,
    });
    server.inject({
      match: 'POST /api/v1/channel/1/create_orders/',
      kind: 'status',
      status: 500,
      // Every try: the first, then the parked order's retry before its chunk commits.
      times: (TEST_RETRY.limit + 1) * 2,
    });
    const first = await service.fetchAndCreateOrder({ concurrency: 1 });
    server.revokeTokens();
    server.inject({ match: /batch_requests/, kind: 'status', status: 503 });
    const thrown = await service.fetchAndCreateOrder().catch((e: unknown) => e);

    const errors = [...first.items.flatMap((i) => (i.error ? [i.error] : [])), thrown as Error];
    const captured = JSON.stringify({
      logs,
      errors: errors.map((e) => ({
        message: e.message,
        details: 'details' in e ? (e as { details: () => unknown }).details() : null,
      })),
      reports: server.store.errorReports,
      addressReports: server.store.addressErrorReports,
    });
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(server.issuedTokens.length).toBeGreaterThanOrEqual(2);
    for (const secret of [server.credentials.password, ...server.issuedTokens])
      expect(captured).not.toContain(secret);
  });
});

describe('OmnitronRestIntegration caches', () => {
  it('resolves a place once, but asks again for one it could not find', async () => {
    const { server, omnitron } = await mock();
    const customer = await omnitron.getOrCreateCustomer(
      { email: 'c@d.co', firstName: 'C', lastName: 'D' },
      'email',
    );
    const address = buildChannelOrder().shippingAddress;
    await omnitron.getOrCreateAddress(customer, address);
    await omnitron.getOrCreateAddress(customer, { ...address, line: 'Another street 2' });
    expect(requestsTo(server, /GET .*cities\//)).toHaveLength(1);
    await expect(omnitron.getOrCreateAddress(customer, { ...address, city: 'Atlantis' })).rejects.toThrow(
      /Atlantis/,
    );
    const before = requestsTo(server, /GET .*cities\//).length;
    const atlantis = server.store.addLocation('city', 'Atlantis', {
      parent: [...server.store.locations.values()].find((l) => l.kind === 'country')?.id ?? 0,
    });
    await expect(
      omnitron.getOrCreateAddress(customer, {
        ...address,
        city: 'Atlantis',
        township: undefined,
        district: undefined,
      }),
    ).resolves.toMatchObject({ city: atlantis });
    expect(requestsTo(server, /GET .*cities\//).length).toBeGreaterThan(before);
  });

  it('reads the cargo company list once, and again when a code is not in it', async () => {
    const { server, omnitron } = await mock();
    await omnitron.getCargoCompanyByCode('ARAS');
    await omnitron.getCargoCompanyByCode('MNG');
    expect(requestsTo(server, /cargos\//)).toHaveLength(1);
    server.store.addCargoCompany({ name: 'New Kargo', erpCode: 'NEW' });
    await expect(omnitron.getCargoCompanyByCode('NEW')).resolves.toMatchObject({ name: 'New Kargo' });
    expect(requestsTo(server, /cargos\//)).toHaveLength(2);
  });

  it('caches nothing with cacheTtl 0', async () => {
    const { server, connect } = await mock();
    const omnitron = connect({ cacheTtl: 0 });
    await omnitron.getCargoCompanyByCode('ARAS');
    await omnitron.getCargoCompanyByCode('ARAS');
    expect(requestsTo(server, /cargos\//)).toHaveLength(2);
  });
});
