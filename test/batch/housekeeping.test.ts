import { describe, expect, it } from 'vitest';
import { OmnitronResponseError, OmnitronRestIntegration, OrderService } from '../../src/index.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

const longAgo = new Date(Date.now() - 60 * 60_000).toISOString();

forEachBackend((setup) => {
  describe('batch housekeeping', () => {
    it('closes stale batches left in initialized, and leaves fresh ones alone', async () => {
      const { service, store } = await setup({ orders: [buildChannelOrder()] });
      const stale = store.createBatchRequest();
      stale.modifiedDate = longAgo;
      const fresh = store.createBatchRequest();

      await service.fetchAndCreateOrder();

      expect(store.batchRequests.get(stale.id)?.status).toBe('fail');
      expect(store.batchRequests.get(fresh.id)?.status).toBe('initialized');
    });

    it('closes the batch of a run that fails before it commits anything', async () => {
      const { service, store, channel } = await setup({ orders: [] });
      channel.getOrders = async function* () {
        yield* [];
        throw new Error('marketplace down');
      };
      await expect(service.fetchAndCreateOrder()).rejects.toThrow();
      expect([...store.batchRequests.values()].map((b) => b.status)).toEqual(['fail']);
    });
  });
});

describe('a create answered 2xx is never sent again (mock Omnitron)', () => {
  async function start(fetch?: typeof globalThis.fetch) {
    const { createMockOmnitronServer } = await import('../../src/testing/index.js');
    const server = await createMockOmnitronServer();
    const omnitron = new OmnitronRestIntegration({
      baseUrl: server.url,
      ...server.credentials,
      channelId: 1,
      timeout: 2000,
      retry: { limit: 3, baseDelay: 1, backoffLimit: 5 },
      ...(fetch ? { fetch } : {}),
    });
    const channel = new ScriptedChannel({ orders: [buildChannelOrder()] });
    const service = new OrderService({ omnitron, channel, staleBatchAfter: 0 });
    const posts = (path: string) =>
      server.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path)).length;
    return { server, service, posts };
  }

  it('accepts a batch request answer without created_date (a field the SDK does not use)', async () => {
    const withoutCreatedDate: typeof globalThis.fetch = async (input, init) => {
      // ky hands over a Request: read its method and URL before it is used.
      const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
      const url = input instanceof Request ? input.url : String(input);
      const response = await fetch(input, init);
      if (method !== 'POST' || !url.endsWith('/batch_requests/')) return response;
      const { created_date: _, ...body } = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const { server, service, posts } = await start(withoutCreatedDate);
    try {
      const result = await service.fetchAndCreateOrder();
      expect(result.counts.created).toBe(1);
      expect(posts('/batch_requests/')).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('fails with a typed error, without sending it again, when a batch create answer is unusable', async () => {
    const { server, service, posts } = await start();
    try {
      server.inject({ match: 'POST /api/v1/channel/1/batch_requests/', kind: 'malformed', times: 1 });
      await expect(service.fetchAndCreateOrder()).rejects.toBeInstanceOf(OmnitronResponseError);
      expect(posts('/batch_requests/')).toBe(1);
      // The next run closes the batch nobody could use, and imports the order.
      const next = await service.fetchAndCreateOrder();
      expect(next.counts.created).toBe(1);
      expect([...server.store.batchRequests.values()].map((b) => b.status)).toEqual(['fail', 'done']);
    } finally {
      await server.close();
    }
  });

  it('looks up a customer whose create answer is unusable instead of creating it again', async () => {
    const { server, service, posts } = await start();
    try {
      server.inject({ match: 'POST /api/v1/channel/1/customers/', kind: 'malformed', times: 1 });
      const result = await service.fetchAndCreateOrder();
      expect(result.counts.created).toBe(1);
      expect(posts('/customers/')).toBe(1);
      expect(server.store.customers.size).toBe(1);
    } finally {
      await server.close();
    }
  });
});
