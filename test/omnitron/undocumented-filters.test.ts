import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OmnitronError,
  OmnitronRestIntegration,
  OmnitronServerError,
  OrderService,
} from '../../src/index.js';
import {
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { tinyServer } from '../security/omnitron-servers.js';
import { capturingLogger, TEST_RETRY } from '../support.js';

/**
 * The query parameters Omnitron's API references do not document, by the list they filter. The proxy
 * below breaks every request that uses one; the documented ones pass through to the mock Omnitron.
 */
const UNDOCUMENTED: Record<string, readonly string[]> = {
  'orders/': ['number__in', 'pk__in'],
  'order_items/': ['order__in', 'pk__in'],
  'integration_actions/': ['remote_id__in', 'object_id__in'],
  'cancellation_requests/': ['remote_id', 'remote_id__in'],
  'batch_requests/': ['status', 'content_type'],
};

/** How the proxy answers a request with an undocumented filter. */
type Mode = '400' | '500' | 'garbled' | 'wrong-shape' | 'closed' | 'ignored' | 'hang' | 'reversed';
const MODES: readonly Mode[] = ['400', '500', 'garbled', 'wrong-shape', 'closed', 'ignored'];

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The list path (`orders/`) of a request and the undocumented filters it uses. */
function undocumentedIn(url: URL): string[] {
  const list = /\/api\/v1\/channel\/\d+\/([a-z_]+\/)$/.exec(url.pathname)?.[1];
  const names = list ? (UNDOCUMENTED[list] ?? []) : [];
  return names.filter((name) => url.searchParams.has(name));
}

async function forward(mock: string, req: IncomingMessage, url: URL, body: string) {
  return fetch(`${mock}${url.pathname}${url.search}`, {
    method: req.method ?? 'GET',
    headers: Object.fromEntries(
      Object.entries(req.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
      ),
    ),
    ...(body ? { body } : {}),
  });
}

async function relay(res: ServerResponse, answer: Response, text?: string) {
  res
    .writeHead(answer.status, { 'Content-Type': answer.headers.get('Content-Type') ?? 'application/json' })
    .end(text ?? (await answer.text()));
}

/** An Omnitron (the mock) with three imported orders and a cancellation request, behind a hostile proxy. */
async function hostileOmnitron(timeout = 2000) {
  const mock = await createMockOmnitronServer();
  servers.push(mock);
  const seed = new OmnitronRestIntegration({
    baseUrl: mock.url,
    ...mock.credentials,
    channelId: 1,
    retry: TEST_RETRY,
  });
  const orders = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
  await new OrderService({ omnitron: seed, channel: new ScriptedChannel({ orders }) }).fetchAndCreateOrder();
  const stored = orders.map((o) => {
    const order = mock.store.findOrderByNumber(o.number);
    if (!order) throw new Error(`order ${o.number} was not imported`);
    return order;
  });
  const firstItem = mock.store.listOrderItems(stored[0]?.id ?? 0)[0];
  if (!firstItem) throw new Error('no order item');
  // Another request, listed first, that an ignored filter answers with too.
  mock.store.createCancellationRequest({
    orderItem: firstItem.id,
    reason: 1,
    remoteId: 'CR-UNDOC-2',
    description: '',
    cancellationType: 'cancel',
  });
  mock.store.createCancellationRequest({
    orderItem: firstItem.id,
    reason: 1,
    remoteId: 'CR-UNDOC-1',
    description: '',
    cancellationType: 'cancel',
  });
  // A batch that an ignored status filter answers with too.
  mock.store.createBatchRequest();

  const state = { mode: '400' as Mode, broken: [] as string[] };
  const proxy = await tinyServer(async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const filters = undocumentedIn(url);
    if (filters.length === 0) return relay(res, await forward(mock.url, req, url, body));
    state.broken.push(`${url.pathname.replace(/^\/api\/v1\/channel\/\d+\//, '')}?${filters.join('&')}`);
    switch (state.mode) {
      case '400':
        return res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"detail":"unknown filter"}');
      case '500':
        return res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>Server Error (500)</h1>');
      case 'garbled':
        return res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"count": 3, "results": [{"pk');
      case 'wrong-shape':
        return res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"detail": "ok", "items": []}');
      case 'closed':
        return req.socket.destroy();
      case 'hang':
        // Never answers: the client's timeout ends each attempt.
        return;
      case 'reversed': {
        const answer = await forward(mock.url, req, url, body);
        const page = (await answer.json()) as { results: unknown[] };
        return relay(res, answer, JSON.stringify({ ...page, results: page.results.reverse() }));
      }
      case 'ignored': {
        for (const name of filters) url.searchParams.delete(name);
        return relay(res, await forward(mock.url, req, url, body));
      }
    }
  });
  const warnings: string[] = [];
  const logs: string[] = [];
  const logger = {
    ...capturingLogger(logs),
    warn: (fields: unknown, message: string) => warnings.push(`${message} ${JSON.stringify(fields)}`),
  };
  const omnitron = new OmnitronRestIntegration({
    baseUrl: proxy.url,
    ...mock.credentials,
    channelId: 1,
    retry: TEST_RETRY,
    timeout,
    logger,
  });
  return { mock, proxy, state, omnitron, warnings, orders, stored, firstItem };
}

type Env = Awaited<ReturnType<typeof hostileOmnitron>>;

/** Each call that uses an undocumented filter, and what it must answer all the same. */
const SITES: {
  name: string;
  filter: string;
  call(env: Env): Promise<unknown>;
  expected(env: Env): unknown;
}[] = [
  {
    name: 'findOrdersByNumbers',
    filter: 'number__in',
    call: async ({ omnitron, orders }) =>
      [
        ...(
          await omnitron.findOrdersByNumbers([orders[0]?.number ?? '', orders[1]?.number ?? '', 'NO-SUCH'])
        ).entries(),
      ]
        .map(([number, order]) => [number, order.id])
        .sort(),
    expected: ({ stored }) =>
      stored
        .slice(0, 2)
        .map((o) => [o.number, o.id])
        .sort(),
  },
  {
    name: 'listOrderItemsOfOrders',
    filter: 'order__in',
    call: async ({ omnitron, stored }) =>
      [...(await omnitron.listOrderItemsOfOrders([stored[0]?.id ?? 0, stored[2]?.id ?? 0])).entries()].map(
        ([id, items]) => [id, items.map((i) => i.id)],
      ),
    expected: ({ mock, stored }) =>
      [stored[0], stored[2]].map((o) => [o?.id, mock.store.listOrderItems(o?.id ?? 0).map((i) => i.id)]),
  },
  {
    name: 'getOrders',
    filter: 'pk__in',
    call: async ({ omnitron, stored }) =>
      (await omnitron.getOrders([stored[2]?.id ?? 0, stored[0]?.id ?? 0])).map((o) => o.id),
    expected: ({ stored }) => [stored[2]?.id, stored[0]?.id],
  },
  {
    name: 'listIntegrationActions by remote ids',
    filter: 'remote_id__in',
    call: async ({ omnitron, orders }) =>
      (
        await omnitron.listIntegrationActions({
          contentType: 'order',
          remoteIds: [orders[1]?.remoteId ?? ''],
        })
      ).map((a) => [a.remoteId, a.objectId]),
    expected: ({ orders, stored }) => [[orders[1]?.remoteId, stored[1]?.id]],
  },
  {
    name: 'listIntegrationActions by object ids',
    filter: 'object_id__in',
    call: async ({ omnitron, stored }) =>
      (await omnitron.listIntegrationActions({ contentType: 'order', objectIds: [stored[0]?.id ?? 0] })).map(
        (a) => [a.remoteId, a.objectId],
      ),
    expected: ({ orders, stored }) => [[orders[0]?.remoteId, stored[0]?.id]],
  },
  {
    name: 'getProductIds',
    filter: 'remote_id__in',
    call: async ({ omnitron }) =>
      [...(await omnitron.getProductIds(['PROD-1', 'PROD-2', 'NO-SUCH'])).keys()].sort(),
    expected: () => ['PROD-1', 'PROD-2'],
  },
  {
    name: 'findCancellationRequestByRemoteId',
    filter: 'remote_id',
    call: async ({ omnitron }) => (await omnitron.findCancellationRequestByRemoteId('CR-UNDOC-1'))?.remoteId,
    expected: () => 'CR-UNDOC-1',
  },
  {
    name: 'getOrderItems',
    filter: 'pk__in',
    call: async ({ omnitron, firstItem }) => [...(await omnitron.getOrderItems([firstItem.id])).keys()],
    expected: ({ firstItem }) => [firstItem.id],
  },
  {
    name: 'findCancellationRequestsByRemoteIds',
    filter: 'remote_id__in',
    call: async ({ omnitron }) => [
      ...(await omnitron.findCancellationRequestsByRemoteIds(['CR-UNDOC-1', 'NO-SUCH'])).keys(),
    ],
    expected: () => ['CR-UNDOC-1'],
  },
  {
    name: 'listBatchRequests',
    filter: 'status',
    call: async ({ omnitron }) => {
      const found: number[] = [];
      for await (const batch of omnitron.listBatchRequests({ statuses: ['done'], contentType: 'order' }))
        found.push(batch.id);
      return found.sort((a, b) => a - b);
    },
    expected: ({ mock }) =>
      [...mock.store.batchRequests.values()]
        .filter((b) => b.status === 'done' && b.contentType === 'order')
        .map((b) => b.id)
        .sort((a, b) => a - b),
  },
];

describe.each(SITES)('$name falls back to documented requests when $filter fails', (site) => {
  let env: Env;
  beforeEach(async () => {
    env = await hostileOmnitron();
  });

  it.each(MODES)('when Omnitron answers the filter with: %s', async (mode) => {
    env.state.mode = mode;
    const expected = site.expected(env);
    expect(await site.call(env)).toEqual(expected);
    const tried = env.state.broken.length;
    expect(tried).toBeGreaterThan(0);
    // One warning names the filter and what happened.
    const warned = env.warnings.filter((w) => w.includes(site.filter));
    expect(warned).toHaveLength(1);
    // Remembered: the next call goes straight to the documented requests, with no second warning.
    expect(await site.call(env)).toEqual(expected);
    expect(env.state.broken.length).toBe(tried);
    expect(env.warnings.filter((w) => w.includes(site.filter))).toHaveLength(1);
  });
});

describe('a failing documented fallback', () => {
  it('surfaces as the normal typed error', async () => {
    const env = await hostileOmnitron();
    env.state.mode = '400';
    env.mock.inject({ match: 'GET /api/v1/channel/1/order_items/', kind: 'status', status: 500, times: 100 });
    const error = await env.omnitron
      .listOrderItemsOfOrders(env.stored.map((o) => o.id))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnitronServerError);
    expect(error).toBeInstanceOf(OmnitronError);
    expect((error as OmnitronServerError).http?.path).toContain('order_items/');
  });
});

describe('the other ways an undocumented filter fails', () => {
  it('a filter that times out is given up for its documented fallback', async () => {
    const env = await hostileOmnitron(300);
    env.state.mode = 'hang';
    const found = await env.omnitron.findOrdersByNumbers([env.orders[0]?.number ?? '']);
    expect([...found.values()].map((o) => o.id)).toEqual([env.stored[0]?.id]);
    expect(env.warnings.filter((w) => w.includes('number__in'))).toHaveLength(1);
  }, 20_000);

  it('getOrders answers in the order asked, whatever order Omnitron lists them in', async () => {
    const env = await hostileOmnitron();
    env.state.mode = 'reversed';
    const ids = env.stored.map((o) => o.id);
    expect((await env.omnitron.getOrders(ids)).map((o) => o.id)).toEqual(ids);
    const shuffled = [ids[1] ?? 0, ids[2] ?? 0, ids[0] ?? 0];
    expect((await env.omnitron.getOrders(shuffled)).map((o) => o.id)).toEqual(shuffled);
    expect(env.warnings).toEqual([]);
  });
});
