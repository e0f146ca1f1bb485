import { describe, expect, it } from 'vitest';
import {
  ChannelIntegration,
  type ChannelOrderInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
} from '../../src/index.js';
import {
  buildChannelOrder,
  CHANNEL_CONFORMANCE_CHECKS,
  type ChannelProbe,
  runConformanceCheck,
} from '../../src/testing/index.js';

/** A tiny marketplace: orders offered until acknowledged. */
class Market {
  readonly orders: ChannelOrderInput[] = [
    buildChannelOrder(),
    buildChannelOrder(),
    buildChannelOrder({ cargoCompany: 'NOPE' }),
  ];
  readonly acknowledged = new Set<string>();
  pending() {
    return this.orders.filter((o) => !this.acknowledged.has(o.remoteId));
  }
}

type Flaw = 'none' | 'acknowledges-early' | 'yields-twice' | 'drops-results' | 'bad-optional-stream';

function channelWith(market: Market, flaw: Flaw): ChannelIntegration {
  class Adapter extends ChannelIntegration {
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
        results: answered.map((o) => ({ status: 'SUCCESS', number: o.remoteId ?? o.order.number })),
      };
    }
  }
  class WithBadStream extends Adapter {
    override async *getCancelledOrders() {
      yield { order: 'R-1' } as never;
    }
  }
  return flaw === 'bad-optional-stream' ? new WithBadStream() : new Adapter();
}

function probeFor(market: Market): ChannelProbe {
  return {
    pendingOrderIds: () => market.pending().map((o) => o.remoteId),
    acknowledgedOrderIds: () => [...market.acknowledged],
  };
}

async function failures(flaw: Flaw): Promise<string[]> {
  const failed: string[] = [];
  for (const check of CHANNEL_CONFORMANCE_CHECKS) {
    const market = new Market();
    await runConformanceCheck(check, () => channelWith(market, flaw), probeFor(market)).catch(() =>
      failed.push(check.title),
    );
  }
  return failed;
}

const [yields, optional, acknowledges, updates] = CHANNEL_CONFORMANCE_CHECKS.map((c) => c.title);

describe('the channel conformance checks', () => {
  it('pass for an adapter that keeps the contract', async () => {
    expect(await failures('none')).toEqual([]);
  });

  it('catch an adapter that acknowledges orders before Omnitron has them', async () => {
    expect(await failures('acknowledges-early')).toContain(acknowledges);
  });

  it('catch an adapter that yields an order twice', async () => {
    expect(await failures('yields-twice')).toContain(yields);
  });

  it('catch an adapter that leaves orders out of its update results', async () => {
    expect(await failures('drops-results')).toEqual([updates]);
  });

  it('catch an optional stream that yields items not shaped { data, reports? }', async () => {
    expect(await failures('bad-optional-stream')).toEqual([optional]);
  });
});
