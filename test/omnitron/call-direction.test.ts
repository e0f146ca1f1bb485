/**
 * Calls in the REST adapter go one way: the adapter's port methods call its resources, and a resource's
 * look-ups, re-checks and fallbacks call other resources, never a port method of the adapter again (only
 * the extension points: `channelPath`, `matchCustomer`, `resolveLocation`, `addressCreateBody`).
 * dependency-cruiser keeps the imports that way; this test watches the calls at run time, over the paths
 * that used to go back through the adapter: a create's re-check after a lost answer, and the one-at-a-time
 * fallbacks of the batch look-ups against an Omnitron that ignores their filters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OmnitronRestIntegration,
  type OmnitronRestIntegrationOptions,
  OrderService,
} from '../../src/index.js';
import {
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { TEST_RETRY } from '../support.js';

/** The protected methods a subclass overrides: the adapter calls them from inside its port methods. */
const EXTENSION_POINTS = new Set(['channelPath', 'matchCustomer', 'resolveLocation', 'addressCreateBody']);

/**
 * The REST adapter with every other method of its own watched: a method entered while another one of this
 * adapter is running, in the same call chain, is recorded as `outer → inner`.
 */
class WatchedOmnitron extends OmnitronRestIntegration {
  readonly reentered: string[] = [];
  readonly entered = new Set<string>();

  constructor(options: OmnitronRestIntegrationOptions) {
    super(options);
    const running = new AsyncLocalStorage<string>();
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of Object.getOwnPropertyNames(OmnitronRestIntegration.prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(OmnitronRestIntegration.prototype, name);
      if (name === 'constructor' || EXTENSION_POINTS.has(name) || typeof descriptor?.value !== 'function')
        continue;
      const method = descriptor.value as (...args: unknown[]) => unknown;
      self[name] = (...args: unknown[]) => {
        const outer = running.getStore();
        if (outer !== undefined) this.reentered.push(`${outer} → ${name}`);
        this.entered.add(name);
        return running.run(name, () => method.apply(this, args));
      };
    }
  }
}

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('OmnitronRestIntegration call direction', () => {
  it('never calls its own port methods from inside one: re-checks and fallbacks ask the resources', async () => {
    // Every undocumented filter ignored: each batch look-up falls back to one look-up per key.
    const server = await createMockOmnitronServer({ undocumentedFilters: 'ignore' });
    servers.push(server);
    const omnitron = new WatchedOmnitron({
      baseUrl: server.url,
      ...server.credentials,
      channelId: server.store.channelId,
      retry: TEST_RETRY,
      timeout: 2000,
    });
    const channelPath = `/api/v1/channel/${server.store.channelId}`;
    // Each create's answer lost once: the adapter looks it up (or checks the items) before sending it again.
    for (const create of ['customers/', 'create_orders/', 'cancellation_requests/'])
      server.inject({ match: `POST ${channelPath}/${create}`, kind: 'lost-response', times: 1 });
    server.inject({ match: /^POST .*\/orders\/\d+\/cancel\/$/, kind: 'lost-response', times: 1 });

    // An order already there makes every ignored filter's answer hold one not asked for, so each batch
    // look-up of the next import (by number, items by order) falls back to one key at a time.
    const bystander = buildChannelOrder();
    const channel = new ScriptedChannel({ orders: [bystander] });
    const service = new OrderService({ omnitron, channel });
    expect((await service.fetchAndCreateOrder()).counts).toMatchObject({ created: 1, failed: 0 });
    const kept = buildChannelOrder();
    const cancelled = buildChannelOrder();
    channel.script.orders = [kept, cancelled];
    expect((await service.fetchAndCreateOrder()).counts).toMatchObject({ created: 2, failed: 0 });
    channel.script.cancelledOrders = [buildCancelOrder(cancelled)];
    expect((await service.fetchAndCreateCancel()).counts).toMatchObject({ failed: 0 });
    channel.script.cancellationRequests = [buildCancellationRequest(kept)];
    expect((await service.fetchAndCreateCancellationRequests()).counts).toMatchObject({ failed: 0 });

    // The paths under watch were taken: every lost answer was met, and the fallbacks sent the documented
    // one-key look-ups.
    expect(server.faults.injected['lost-response']).toBe(4);
    const alone = (key: string) =>
      server.requests.flatMap((r) => new URLSearchParams(r.query).get(key) ?? []);
    expect(alone('number')).toContain(kept.number);
    const ids = [kept, cancelled].map((o) => String(server.store.findOrderByNumber(o.number)?.id));
    expect(alone('order')).toEqual(expect.arrayContaining(ids));
    expect([...omnitron.entered]).toEqual(
      expect.arrayContaining([
        'getOrCreateCustomer',
        'createOrder',
        'findOrdersByNumbers',
        'listOrderItemsOfOrders',
        'cancelOrder',
        'createCancellationRequest',
      ]),
    );
    expect(omnitron.reentered).toEqual([]);
  });
});
