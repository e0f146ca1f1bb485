import { describe, expect, it } from 'vitest';
import {
  type AcknowledgeItemsInput,
  type CancelOrderInput,
  type ChannelCancellationRequestInput,
  ChannelIntegration,
  type ChannelOrderInput,
  type OrderItemUpdateInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestResult,
} from '../../src/index.js';
import {
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelOrder,
  buildOrderItemUpdate,
  CHANNEL_CONFORMANCE_CHECKS,
  type ChannelProbe,
  describeChannelIntegration,
  runConformanceCheck,
} from '../../src/testing/index.js';

/**
 * A tiny marketplace: orders offered until acknowledged, and, once the probe puts them there, a
 * cancellation, a line update and a return request on the first order.
 */
class Market {
  readonly orders: ChannelOrderInput[] = [
    buildChannelOrder(),
    buildChannelOrder(),
    buildChannelOrder({ cargoCompany: 'NOPE' }),
  ];
  readonly acknowledged = new Set<string>();
  cancellations: CancelOrderInput[] = [];
  lineUpdates: OrderItemUpdateInput[] = [];
  requests: ChannelCancellationRequestInput[] = [];
  pending() {
    return this.orders.filter((o) => !this.acknowledged.has(o.remoteId));
  }
  /** Stream outcomes the adapter was told of. */
  readonly heard: AcknowledgeItemsInput[] = [];
  /** Takes stream outcomes, or, with the `failing-item-acknowledgement` flaw, refuses them. */
  hear(flaw: Flaw, input: AcknowledgeItemsInput) {
    if (flaw === 'failing-item-acknowledgement') throw new Error('marketplace answered 500');
    this.heard.push(input);
  }
  /** What a test's fake API would be seeded with; the probe's `streams` call it. */
  offer() {
    const [first] = this.orders as [ChannelOrderInput];
    this.cancellations = [buildCancelOrder(first)];
    this.lineUpdates = [buildOrderItemUpdate(first, { trackingNumber: 'TRK-1' })];
    this.requests = [buildCancellationRequest(first, { cancellationType: 'refund' })];
  }
}

type Flaw =
  | 'none'
  | 'acknowledges-early'
  | 'yields-twice'
  | 'drops-results'
  | 'bad-optional-stream'
  | 'invalid-cancellation'
  | 'invalid-line-update'
  | 'invalid-return-request'
  | 'drops-cancellation'
  | 'invalid-update-answer'
  | 'invalid-request-answer'
  | 'lists-other-amount'
  | 'lists-twice'
  | 'failing-item-acknowledgement';

/** A minimal adapter: orders and updates only, every optional stream left out. */
function minimalChannel(market: Market, flaw: Flaw): ChannelIntegration {
  return new (class Minimal extends ChannelIntegration {
    override async *getOrders() {
      for (const order of market.pending()) {
        if (flaw === 'acknowledges-early') market.acknowledged.add(order.remoteId);
        yield { data: order };
        if (flaw === 'yields-twice') yield { data: order };
      }
    }
    override async acknowledgeOrders({ orders }: { orders: { remoteId: string }[] }) {
      for (const o of orders) market.acknowledged.add(o.remoteId);
    }
    override async sendUpdatedOrders({ orders }: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
      const answered = flaw === 'drops-results' ? orders.slice(0, 1) : orders;
      return {
        status: 'done',
        results: answered.map((o) => ({
          status: 'SUCCESS',
          // A marketplace that answers with its own numeric ids, unconverted.
          number: flaw === 'invalid-update-answer' ? (123 as never) : (o.remoteId ?? o.order.number),
        })),
      };
    }
  })();
}

/** The same adapter with every optional stream and updateCancellationRequest, each mapping the market's data. */
function fullChannel(market: Market, flaw: Flaw): ChannelIntegration {
  const base = minimalChannel(market, flaw);
  return new (class Full extends ChannelIntegration {
    override getOrders = base.getOrders.bind(base);
    override acknowledgeOrders = base.acknowledgeOrders.bind(base);
    override sendUpdatedOrders = base.sendUpdatedOrders.bind(base);
    override async *getCancelledOrders() {
      if (flaw === 'bad-optional-stream') yield { order: 'R-1' } as never;
      const cancellations = flaw === 'drops-cancellation' ? [] : market.cancellations;
      for (const cancel of cancellations)
        yield { data: flaw === 'invalid-cancellation' ? { ...cancel, cancelItems: [] } : cancel };
    }
    override async *getUpdatedOrderItems() {
      for (const update of market.lineUpdates)
        yield { data: flaw === 'invalid-line-update' ? { ...update, trackingNumber: 42 as never } : update };
    }
    override async *getCancellationRequests() {
      for (const request of market.requests)
        yield { data: flaw === 'invalid-return-request' ? { ...request, reason: ' ' } : request };
    }
    override async *listOrders() {
      // Every order, acknowledged or not: a listing reads a time window, not the queue of new orders.
      for (const order of market.orders) {
        yield { data: flaw === 'lists-other-amount' ? { ...order, amount: '1.00' } : order };
        if (flaw === 'lists-twice') yield { data: order };
      }
    }
    override async acknowledgeCancels(input: AcknowledgeItemsInput) {
      market.hear(flaw, input);
    }
    override async acknowledgeOrderItemUpdates(input: AcknowledgeItemsInput) {
      market.hear(flaw, input);
    }
    override async acknowledgeCancellationRequests(input: AcknowledgeItemsInput) {
      market.hear(flaw, input);
    }
    override async updateCancellationRequest(): Promise<UpdateCancellationRequestResult> {
      return flaw === 'invalid-request-answer' ? { status: 'OK' as never } : { status: 'SUCCESS' };
    }
  })();
}

/** A probe of the market `current` returns (a getter, so that `setup` may replace the market). */
function probeFor(current: () => Market, withStreams: boolean): ChannelProbe {
  const offered = (pick: (market: Market) => string[]) => () => {
    current().offer();
    return pick(current());
  };
  return {
    pendingOrderIds: () =>
      current()
        .pending()
        .map((o) => o.remoteId),
    acknowledgedOrderIds: () => [...current().acknowledged],
    ...(withStreams && {
      streams: {
        getCancelledOrders: offered((m) => m.cancellations.map((c) => c.order)),
        getUpdatedOrderItems: offered((m) => m.lineUpdates.map((u) => u.remoteId)),
        getCancellationRequests: offered((m) => m.requests.map((r) => r.remoteId)),
      },
    }),
  };
}

interface Variant {
  flaw: Flaw;
  /** Which adapter: the minimal one, or the one with every optional method. */
  adapter?: 'minimal' | 'full';
  /** Whether the probe supplies stream data. */
  streams?: boolean;
}

/** Runs every check against a fresh market; returns the failed checks' titles and their messages. */
async function failures({ flaw, adapter = 'full', streams = true }: Variant): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  for (const check of CHANNEL_CONFORMANCE_CHECKS) {
    const market = new Market();
    const build = adapter === 'full' ? fullChannel : minimalChannel;
    await runConformanceCheck(
      check,
      () => build(market, flaw),
      probeFor(() => market, streams),
    ).catch((error: Error) => failed.set(check.title, error.message));
  }
  return failed;
}

const title = (start: string) => {
  const found = CHANNEL_CONFORMANCE_CHECKS.find((c) => c.title.startsWith(start));
  if (!found) throw new Error(`no check starts with ${start}`);
  return found.title;
};
const yields = title('getOrders');
const acknowledges = title('acknowledges exactly');
const updates = title('answers an order update');
const cancellations = title('getCancelledOrders');
const lineUpdates = title('getUpdatedOrderItems');
const requests = title('getCancellationRequests');
const requestUpdates = title('updateCancellationRequest');
const listings = title('listOrders');
const itemAcknowledgements = title('acknowledgeCancels');

describe('the channel conformance checks', () => {
  it('pass for an adapter with every optional method, fed stream data by the probe', async () => {
    const failed = await failures({ flaw: 'none' });
    expect(Object.fromEntries(failed)).toEqual({});
  });

  it('pass for a minimal adapter whose optional methods throw NotSupportedError', async () => {
    const failed = await failures({ flaw: 'none', adapter: 'minimal', streams: false });
    expect(Object.fromEntries(failed)).toEqual({});
  });

  it('catch an adapter that acknowledges orders before Omnitron has them', async () => {
    expect([...(await failures({ flaw: 'acknowledges-early' })).keys()]).toContain(acknowledges);
  });

  it('catch an adapter whose stream acknowledgements fail on what their flows send', async () => {
    const failed = await failures({ flaw: 'failing-item-acknowledgement' });
    expect([...failed.keys()]).toEqual([itemAcknowledgements]);
    expect(failed.get(itemAcknowledgements)).toContain('acknowledgeCancels calls that failed');
  });

  it('catch an adapter that yields an order twice', async () => {
    expect([...(await failures({ flaw: 'yields-twice' })).keys()]).toContain(yields);
  });

  it('catch an adapter that leaves orders out of its update results', async () => {
    expect([...(await failures({ flaw: 'drops-results' })).keys()]).toEqual([updates]);
  });

  it('catch an adapter whose update results are invalid, naming the field', async () => {
    const failed = await failures({ flaw: 'invalid-update-answer' });
    expect([...failed.keys()]).toEqual([updates]);
    expect(failed.get(updates)).toMatch(/sendUpdatedOrders: results\.0\.number/);
  });

  it('catch an optional stream that yields items not shaped { data, reports? }', async () => {
    const failed = await failures({ flaw: 'bad-optional-stream' });
    expect([...failed.keys()]).toEqual([cancellations]);
    expect(failed.get(cancellations)).toMatch(/item 1 is not \{ data, reports\? \}/);
  });

  it.each([
    [
      'invalid-cancellation',
      cancellations,
      /getCancelledOrders items that are not valid CancelOrder.*cancelItems/s,
    ],
    [
      'invalid-line-update',
      lineUpdates,
      /getUpdatedOrderItems items that are not valid OrderItemUpdate.*trackingNumber/s,
    ],
    [
      'invalid-return-request',
      requests,
      /getCancellationRequests items that are not valid ChannelCancellationRequest.*reason/s,
    ],
  ] as const)('catch %s, naming the stream and the field', async (flaw, check, message) => {
    const failed = await failures({ flaw });
    expect([...failed.keys()]).toEqual([check]);
    expect(failed.get(check)).toMatch(message);
  });

  it('catch a stream that leaves out an item the probe supplied', async () => {
    const failed = await failures({ flaw: 'drops-cancellation' });
    expect([...failed.keys()]).toEqual([cancellations]);
    expect(failed.get(cancellations)).toMatch(/yields the items the probe supplied/);
  });

  it('catch an invalid answer to a cancellation request update', async () => {
    const failed = await failures({ flaw: 'invalid-request-answer' });
    expect([...failed.keys()]).toEqual([requestUpdates]);
    expect(failed.get(requestUpdates)).toMatch(/updateCancellationRequest: status/);
  });

  it('catch a listOrders that lists an order twice', async () => {
    const failed = await failures({ flaw: 'lists-twice' });
    expect([...failed.keys()]).toEqual([listings]);
    expect(failed.get(listings)).toMatch(/is listed 2 times/);
  });

  it('catch a listOrders that maps an order unlike getOrders, as reconcileOrders would report it', async () => {
    const failed = await failures({ flaw: 'lists-other-amount' });
    expect([...failed.keys()]).toEqual([listings]);
    expect(failed.get(listings)).toMatch(/amount: marketplace 1\.00, Omnitron 150\.00/);
  });

  it('catch a probe that supplies data for a stream the adapter does not override', async () => {
    const failed = await failures({ flaw: 'none', adapter: 'minimal' });
    expect([...failed.keys()]).toEqual([cancellations, lineUpdates, requests]);
    expect(failed.get(lineUpdates)).toMatch(/does not override getUpdatedOrderItems/);
  });
});

// Two adapters in one file, each under its own title, so that the report tells their checks apart.
const TITLES = { full: 'Full adapter conformance', minimal: 'Minimal adapter conformance' } as const;
for (const adapter of ['full', 'minimal'] as const) {
  let market = new Market();
  describeChannelIntegration(() => (adapter === 'full' ? fullChannel : minimalChannel)(market, 'none'), {
    ...probeFor(() => market, adapter === 'full'),
    title: TITLES[adapter],
    setup: () => {
      market = new Market();
    },
  });
}

describe('describeChannelIntegration', () => {
  it('names each describe block by its title, and keeps the old name by default', ({ task }) => {
    const suites = task.file.tasks.map((t) => t.name);
    expect(suites).toEqual(expect.arrayContaining([TITLES.full, TITLES.minimal]));
    for (const name of Object.values(TITLES))
      expect(task.file.tasks.find((t) => t.name === name)?.type).toBe('suite');
  });
});
