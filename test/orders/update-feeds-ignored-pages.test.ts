import { afterEach, describe, expect, it } from 'vitest';
import { OmnitronRestIntegration, OrderService, type OrderServiceOptions } from '../../src/index.js';
import {
  buildCancellationRequest,
  buildChannelOrder,
  type ChannelScript,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { capturingLogger, TEST_RETRY } from '../support.js';

/** The page size of the server and of the client: each feed below is longer than one page. */
const PAGE = 10;

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * An Omnitron that ignores `?page=` (every page of a list is its first page, with the full count) and the
 * flows over REST, with `orders` imported into it. Update feeds longer than a page cannot be read past their
 * first page there; the flows must still carry every change across, a page per run.
 */
async function pagesIgnored(
  orders: ReturnType<typeof buildChannelOrder>[],
  script: Omit<ChannelScript, 'orders'> = {},
  options: Partial<OrderServiceOptions> = {},
) {
  const server = await createMockOmnitronServer({ pagination: 'ignore', maxPageSize: PAGE });
  servers.push(server);
  const logs: string[] = [];
  const logger = capturingLogger(logs);
  const omnitron = new OmnitronRestIntegration({
    baseUrl: server.url,
    ...server.credentials,
    channelId: server.store.channelId,
    pageSize: PAGE,
    retry: TEST_RETRY,
    timeout: 2000,
    logger,
  });
  const channel = new ScriptedChannel({ ...script, orders });
  const service = new OrderService({ omnitron, channel, logger, ...options });
  const imported = await service.fetchAndCreateOrder();
  expect(imported.counts.created).toBe(orders.length);
  return { server, store: server.store, omnitron, channel, service, logs };
}

describe('update feeds of an Omnitron that ignores ?page=', () => {
  it('updateOrders sends a feed longer than a page a page per run, and loses no status', async () => {
    const orders = Array.from({ length: PAGE + 5 }, () => buildChannelOrder());
    const { store, channel, service, logs } = await pagesIgnored(orders);
    for (const order of store.orders.values()) store.touchOrder(order.id, { status: '450' });
    expect(store.listOrdersAwaitingUpdate()).toHaveLength(PAGE + 5);

    const first = await service.updateOrders();
    // The first page, all of it; the repeated page 2 ends the read instead of failing the run.
    expect(first.counts).toMatchObject({ fetched: PAGE, updated: PAGE, failed: 0 });
    expect(first.batchRequest?.status).toBe('done');
    expect(store.listOrdersAwaitingUpdate()).toHaveLength(5);
    const second = await service.updateOrders();
    expect(second.counts).toMatchObject({ fetched: 5, updated: 5, failed: 0 });

    // Every order's status reached the marketplace, each once, and nothing is left to send.
    const sent = channel.sent.flatMap((s) => s.orders.map((o) => [o.remoteId, o.order.status]));
    expect(sent).toHaveLength(PAGE + 5);
    expect(new Map(sent as [string, string][])).toEqual(new Map(orders.map((o) => [o.remoteId, '450'])));
    expect(store.listOrdersAwaitingUpdate()).toEqual([]);
    expect(logs.some((l) => l.startsWith('warn ') && /ignores \?page=/.test(l))).toBe(true);
  });

  it('updateCancellationRequests sends a feed longer than a page a page per run', async () => {
    const orders = Array.from({ length: PAGE + 2 }, () => buildChannelOrder());
    const { store, channel, service } = await pagesIgnored(orders);
    // One request per order: more requests than a page, each then approved by the merchant.
    channel.script.cancellationRequests = orders.map((order) => buildCancellationRequest(order));
    const created = await service.fetchAndCreateCancellationRequests();
    expect(created.counts.created).toBe(PAGE + 2);
    for (const request of store.cancellationRequests.values())
      store.setCancellationRequestStatus(request.id, 'approved');

    const first = await service.updateCancellationRequests();
    expect(first.counts).toMatchObject({ fetched: PAGE, failed: 0 });
    const second = await service.updateCancellationRequests();
    expect(second.counts).toMatchObject({ fetched: 2, failed: 0 });

    const told = channel.cancellationUpdates.map((u) => [u.request.remoteId, u.request.status]);
    expect(told).toHaveLength(PAGE + 2);
    expect(new Set(told.map(([remoteId]) => remoteId)).size).toBe(PAGE + 2);
    expect(told.every(([, status]) => status === 'approved')).toBe(true);
    expect(store.listCancellationRequestUpdates()).toEqual([]);
  });

  it('getOrderBatchRequests finishes more waiting batches than a page, a page per run', async () => {
    const orders = Array.from({ length: PAGE + 1 }, () => buildChannelOrder());
    let jobs = 0;
    const { store, service } = await pagesIgnored(orders, {
      sendUpdatedOrders: () => ({ status: 'sent_to_remote', remoteBatchId: `JOB-${++jobs}` }),
    });
    // One order changed per run: each run leaves one batch waiting in `sent_to_remote`.
    for (const order of store.orders.values()) {
      store.touchOrder(order.id, { status: '450' });
      expect((await service.updateOrders({ isSync: false })).counts.fetched).toBe(1);
    }
    const waiting = () => store.listBatchRequests({ statuses: ['sent_to_remote', 'ongoing'] });
    expect(waiting()).toHaveLength(PAGE + 1);

    const first = await service.getOrderBatchRequests();
    expect(first.counts).toMatchObject({ fetched: PAGE, updated: PAGE, failed: 0 });
    const second = await service.getOrderBatchRequests();
    expect(second.counts).toMatchObject({ fetched: 1, updated: 1, failed: 0 });

    expect(waiting()).toEqual([]);
    // Each order is recorded at the version sent: none is offered again.
    expect(store.listOrdersAwaitingUpdate()).toEqual([]);
  });

  it('every flow still starts when more batches than a page are stale, and closes them a page per run', async () => {
    const { store, service } = await pagesIgnored([buildChannelOrder()], {}, { staleBatchAfter: 0 });
    // Left `initialized` by runs that stopped: more than a page of them.
    for (let i = 0; i < PAGE + 2; i += 1) store.createBatchRequest();
    const initialized = () => store.listBatchRequests({ statuses: ['initialized'] });
    expect(initialized()).toHaveLength(PAGE + 2);

    const first = await service.updateOrders();
    expect(first.batchRequest?.status).toBe('done');
    expect(initialized()).toHaveLength(2);
    await service.updateOrders();
    expect(initialized()).toEqual([]);
  });

  it("reads a batch's orders by id when they are more than a page (getOrderBatchRequests' poll)", async () => {
    const orders = Array.from({ length: PAGE + 5 }, () => buildChannelOrder());
    const { store, omnitron, logs } = await pagesIgnored(orders);
    // The newest first: the channel's plain order list, were the id filter given up, starts with the oldest.
    const ids = [...store.orders.keys()].reverse();

    const found = await omnitron.getOrders(ids);

    expect(found.map((o) => o.id)).toEqual(ids);
    // The id filter works there; it must not be switched off for the pages Omnitron does not serve.
    expect(logs.filter((l) => l.includes('orders/?pk__in'))).toEqual([]);
    expect((await omnitron.getOrders(ids.slice(0, 3))).map((o) => o.id)).toEqual(ids.slice(0, 3));
  });
});
