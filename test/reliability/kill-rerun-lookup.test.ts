import { describe, expect, it } from 'vitest';
import { OmnitronRestIntegration, OrderService } from '../../src/index.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
import { capturingLogger, mockRestOmnitron } from '../support.js';

/** A `fetch` that drops `number__in` on the way: the server answers as an Omnitron without that filter. */
const ignoringNumberIn: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  url.searchParams.delete('number__in');
  return fetch(new Request(url, request));
};

/** A REST client whose `number__in` never reaches the server: like an Omnitron without that filter. */
async function clientOfServerIgnoringNumberIn(logs: string[]) {
  return mockRestOmnitron({ logger: capturingLogger(logs), fetch: ignoringNumberIn });
}

describe('re-run look-ups against an Omnitron that ignores number__in', () => {
  it('notices the unfiltered answer, looks orders up one by one, and creates nothing twice', async () => {
    const logs: string[] = [];
    const { server, omnitron } = await clientOfServerIgnoringNumberIn(logs);
    const orders = Array.from({ length: 70 }, () => buildChannelOrder());
    // Without acknowledgement the marketplace offers every order again on the second run.
    const channel = new ScriptedChannel({ orders, acknowledges: false });
    const service = new OrderService({ omnitron, channel });
    const first = await service.fetchAndCreateOrder();
    expect(first.counts.created).toBe(70);

    const before = server.requests.length;
    const again = await service.fetchAndCreateOrder();

    expect(again.counts).toMatchObject({ created: 0, skipped: 70, failed: 0 });
    expect(server.store.orders.size).toBe(70);
    // Every order was checked by its own, documented look-up once the filter proved ignored.
    const lookedUpAlone = server.requests
      .slice(before)
      .filter((r) => /\/orders\/$/.test(r.path))
      .flatMap((r) => new URLSearchParams(r.query).get('number') ?? []);
    expect(new Set(lookedUpAlone)).toEqual(new Set(orders.map((o) => o.number)));
    const warnings = logs.filter((line) => line.includes('the orders/?number__in filter'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warn /);
    // The ignored filter was tried once: later chunks go straight to one look-up per number.
    const listed = server.requests.filter((r) => /\/orders\/$/.test(r.path) && !r.query.includes('number='));
    expect(listed.length).toBeLessThanOrEqual(2);
  });

  it('stops reading an unfiltered answer at the first order not asked for', async () => {
    const { server, omnitron: direct } = await clientOfServerIgnoringNumberIn([]);
    const orders = Array.from({ length: 250 }, () => buildChannelOrder());
    await new OrderService({
      omnitron: direct,
      channel: new ScriptedChannel({ orders }),
    }).fetchAndCreateOrder();
    expect(server.store.orders.size).toBe(250);
    // A fresh client, which does not know yet that the filter is ignored.
    const omnitron = new OmnitronRestIntegration({
      baseUrl: server.url,
      ...server.credentials,
      channelId: server.store.channelId,
      fetch: ignoringNumberIn,
    });
    const asked = orders[0]?.number ?? '';
    const before = server.requests.length;

    const found = await omnitron.findOrdersByNumbers([asked]);

    expect([...found.keys()]).toEqual([asked]);
    const requests = server.requests.slice(before).filter((r) => /\/orders\/$/.test(r.path));
    // One page of the unfiltered list (not all three), then the documented one-number look-up.
    expect(requests.filter((r) => !r.query.includes('number='))).toHaveLength(1);
    expect(requests.filter((r) => r.query.includes(`number=${encodeURIComponent(asked)}`))).toHaveLength(1);
  });
});

/** A `fetch` that drops `order__in` on the way: the server answers with the items of every order. */
const ignoringOrderIn: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  url.searchParams.delete('order__in');
  return fetch(new Request(url, request));
};

describe('linking against an Omnitron that ignores order__in on order items', () => {
  it('notices the unfiltered answer, reads items one order at a time, and links every item once', async () => {
    const logs: string[] = [];
    const { server, omnitron } = await mockRestOmnitron({
      logger: capturingLogger(logs),
      fetch: ignoringOrderIn,
    });
    const orders = Array.from({ length: 120 }, () => buildChannelOrder());

    const result = await new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders }),
    }).fetchAndCreateOrder();

    expect(result.counts).toMatchObject({ created: 120, failed: 0 });
    const items = [...server.store.orderItems.values()];
    const links = server.store.listIntegrationActions({
      contentType: 'orderitem',
      objectIds: items.map((i) => i.id),
    });
    expect(links.map((l) => l.objectId).sort((a, b) => a - b)).toEqual(
      items.map((i) => i.id).sort((a, b) => a - b),
    );
    // A chunk whose unfiltered answer held only its own orders was right; the first whose answer held
    // orders not asked for switched the filter off, and from then on each order's items were read on their
    // own: the last chunks' orders at least (how many earlier ones depends on how far the import had run
    // ahead of the first commit).
    const orderIds = [...server.store.orders.keys()].sort((a, b) => a - b);
    const readAlone = [
      ...new Set(
        server.requests
          .filter((r) => /\/order_items\/$/.test(r.path))
          .flatMap((r) => new URLSearchParams(r.query).get('order') ?? [])
          .map(Number),
      ),
    ].sort((a, b) => a - b);
    expect(readAlone).toEqual(orderIds.slice(orderIds.length - readAlone.length));
    expect(readAlone.length).toBeGreaterThanOrEqual(orderIds.length - 50);
    expect(logs.filter((line) => line.includes('the order_items/?order__in filter'))).toHaveLength(1);
  });
});
