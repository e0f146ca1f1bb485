import { afterEach, describe, expect, it } from 'vitest';
import {
  createMockOmnitronServer,
  type MockOmnitronServer,
  type MockOmnitronServerOptions,
} from '../../src/testing/index.js';

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A mock server with these switches, and a logged-in `fetch` of its API. */
async function serve(options: MockOmnitronServerOptions = {}) {
  const server = await createMockOmnitronServer(options);
  servers.push(server);
  const login = await fetch(`${server.url}/api/v1/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.credentials),
  });
  const { key } = (await login.json()) as { key: string };
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1/${path}`, {
      ...init,
      headers: { authorization: `Token ${key}`, 'content-type': 'application/json' },
    });
  return { server, call };
}

describe('the mock Omnitron server switches', () => {
  it('keeps today’s behaviour by default: filters and pages honoured, nothing counted', async () => {
    const { server, call } = await serve();
    const page2 = (await (await call('channel/1/cargos/?limit=1&page=2')).json()) as {
      results: { erp_code: string }[];
    };
    expect(page2.results.map((c) => c.erp_code)).toEqual(['YURTICI']);
    expect((await call('channel/1/orders/?pk__in=999')).status).toBe(200);
    expect(Object.values(server.behaviour).every((n) => n === 0)).toBe(true);
    expect(server.store.uniqueOrderNumbers).toBe(true);
  });

  it('listens on a fixed port when told, so a restarted client finds it at the same URL', async () => {
    const probe = await createMockOmnitronServer();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const { server } = await serve({ port });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('ignores undocumented filters: the whole list comes back', async () => {
    const { server, call } = await serve({ undocumentedFilters: 'ignore' });
    const answer = (await (await call('channel/1/batch_requests/?status=done')).json()) as { count: number };
    await call('channel/1/batch_requests/', { method: 'POST', body: JSON.stringify({ channel: 1 }) });
    const after = (await (await call('channel/1/batch_requests/?status=done')).json()) as { count: number };
    expect(answer.count).toBe(0);
    expect(after.count).toBe(1);
    expect(server.behaviour.filtersIgnored).toBe(2);
  });

  it.each([400, 500] as const)('answers %s to an undocumented filter', async (status) => {
    const { server, call } = await serve({ undocumentedFilters: status });
    expect((await call('channel/1/order_items/?order__in=1,2')).status).toBe(status);
    expect((await call('channel/1/order_items/?order=1')).status).toBe(200);
    expect(server.behaviour.filtersRefused).toBe(1);
  });

  it('closes the connection on an undocumented filter when told', async () => {
    const { server, call } = await serve({ undocumentedFilters: 'closed' });
    await expect(call('channel/1/cancellation_requests/?remote_id=X')).rejects.toThrow();
    expect(server.behaviour.filtersRefused).toBe(1);
  });

  it('ignores ?page= when told: the first page with the full count, again and again', async () => {
    const { server, call } = await serve({ pagination: 'ignore' });
    const page2 = (await (await call('channel/1/cargos/?limit=1&page=2')).json()) as {
      count: number;
      next: string | null;
      results: { erp_code: string }[];
    };
    expect(page2.count).toBe(3);
    expect(page2.results.map((c) => c.erp_code)).toEqual(['ARAS']);
    expect(page2.next).not.toBeNull();
    expect(server.behaviour.pagesIgnored).toBe(1);
  });

  it('stores a create before answering it late, so a client that gave up still made it', async () => {
    const { server, call } = await serve({ slowCreates: 5_000 });
    const gaveUp = call('channel/1/batch_requests/', {
      method: 'POST',
      body: JSON.stringify({ channel: 1 }),
      signal: AbortSignal.timeout(200),
    });
    await expect(gaveUp).rejects.toThrow();
    expect(server.store.batchRequests.size).toBe(1);
    expect(server.behaviour.slowCreates).toBe(1);
  });

  it('moves its dates and Date header by the clock skew', async () => {
    const hour = 3_600_000;
    const { server, call } = await serve({ clockSkew: hour });
    const answer = await call('channel/1/batch_requests/', {
      method: 'POST',
      body: JSON.stringify({ channel: 1 }),
    });
    const body = (await answer.json()) as { created_date: string };
    const header = Date.parse(answer.headers.get('date') ?? '');
    // Loose bounds: the skew is an hour, the request takes far less than half of one.
    expect(header - Date.now()).toBeGreaterThan(hour / 2);
    expect(Date.parse(body.created_date) - Date.now()).toBeGreaterThan(hour / 2);
    expect(server.behaviour.skewedAnswers).toBeGreaterThan(0);
  });

  it('answers 200 with an empty body for an empty fault', async () => {
    const { server, call } = await serve();
    server.inject({ match: 'GET /api/v1/channels/1/', kind: 'empty', times: 1 });
    const answer = await call('channels/1/');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('');
    expect(server.faults.injected.empty).toBe(1);
  });

  it('lets a second order of a known number in when numbers need not be unique', async () => {
    const { server } = await serve({ uniqueOrderNumbers: false });
    expect(server.store.uniqueOrderNumbers).toBe(false);
  });

  /** Posts `create_orders/` for an order numbered `number`, of a customer and address made in the store. */
  async function createOrder(served: Awaited<ReturnType<typeof serve>>, number: string) {
    const { server, call } = served;
    const customer = server.store.createCustomer({ email: 'dup@example.com', firstName: 'A', lastName: 'B' });
    const address = server.store.getOrCreateAddress(customer, {
      firstName: 'A',
      lastName: 'B',
      country: 'Türkiye',
      city: 'İstanbul',
      township: 'Kadıköy',
      line: 'Street 1',
    });
    const [cargo] = server.store.listCargoCompanies();
    const [product] = server.store.products.keys();
    const body = {
      order: {
        number,
        channel: server.store.channelId,
        status: '400',
        date_placed: '2026-01-01T00:00:00Z',
        customer: customer.id,
        shipping_address: address.id,
        billing_address: address.id,
        cargo_company: cargo?.id,
        currency: 'try',
        amount: '5',
        shipping_amount: '0',
        shipping_tax_rate: '20',
        extra_field: {},
      },
      order_item: [{ product, quantity: 1, unit_price: '5', total_price: '5', price: '5' }],
    };
    return (await call('channel/1/create_orders/', { method: 'POST', body: JSON.stringify(body) })).status;
  }

  it('counts a second order of a known number as refused, or as accepted when numbers need not be unique', async () => {
    const unique = await serve();
    expect([await createOrder(unique, 'N-1'), await createOrder(unique, 'N-2')]).toEqual([201, 201]);
    expect(await createOrder(unique, 'N-1')).toBe(400);
    expect(unique.server.behaviour.duplicateOrdersRefused).toBe(1);
    expect(unique.server.behaviour.duplicateOrdersAccepted).toBe(0);

    const loose = await serve({ uniqueOrderNumbers: false });
    expect([await createOrder(loose, 'N-1'), await createOrder(loose, 'N-2')]).toEqual([201, 201]);
    expect([await createOrder(loose, 'N-1'), await createOrder(loose, 'N-1')]).toEqual([201, 201]);
    expect(loose.server.behaviour.duplicateOrdersAccepted).toBe(2);
    expect(loose.server.behaviour.duplicateOrdersRefused).toBe(0);
  });
});
