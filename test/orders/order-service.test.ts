import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, OrderService } from '../../src/index.js';
import {
  buildCancelOrder,
  buildChannelOrder,
  InMemoryOmnitron,
  ScriptedChannel,
} from '../../src/testing/index.js';

describe('OrderService options', () => {
  it('names every wrong option', () => {
    const error = (() => {
      try {
        new OrderService({
          omnitron: {} as never,
          channel: undefined as never,
          logger: { info: () => {} } as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toEqual([
      'omnitron: must be an OmnitronIntegration (such as OmnitronRestIntegration)',
      'channel: must be an instance of your ChannelIntegration subclass',
      'logger: must have debug, info, warn and error methods',
    ]);
  });

  it('accepts a pino-style logger and writes structured lines to it', async () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
      lines.push([level, fields, message]);
    const service = new OrderService({
      omnitron: new InMemoryOmnitron(),
      channel: new ScriptedChannel(),
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    });
    await service.fetchAndCreateOrder();
    expect(lines.map(([level, , message]) => `${level} ${message}`)).toEqual([
      'info flow started',
      'info flow finished',
    ]);
    expect(lines[1]?.[1]).toMatchObject({ flow: 'fetchAndCreateOrder', status: 'done' });
  });
});

describe('flow options', () => {
  const service = () =>
    new OrderService({ omnitron: new InMemoryOmnitron(), channel: new ScriptedChannel() });

  it.each([
    ['a misspelt option', { concurency: 2 }, 'concurency'],
    ['a concurrency that is not a number', { concurrency: Number.NaN }, 'concurrency'],
    ['an unknown keepOutcomes', { keepOutcomes: 'bogus' }, 'keepOutcomes'],
    ['a commitEvery below 1', { commitEvery: 0 }, 'commitEvery'],
  ])('refuses %s before anything runs, naming it', async (_what, options, name) => {
    const omnitron = new InMemoryOmnitron();
    const run = new OrderService({ omnitron, channel: new ScriptedChannel() }).fetchAndCreateOrder(
      options as never,
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).message).toContain(name);
    // Nothing was started: no batch request.
    expect(omnitron.store.batchRequests.size).toBe(0);
  });

  it('checks the options of every flow', async () => {
    const s = service();
    const refused = [
      s.updateOrders({ isSync: 'yes' } as never),
      s.getOrderBatchRequests({ signal: 'stop' } as never),
      s.fetchAndCreateCancel({ onItem: 1 } as never),
      s.fetchAndUpdateOrderItems({ extra: true } as never),
      s.fetchAndCreateCancellationRequests({ logger: {} } as never),
      s.updateCancellationRequests({ limit: -1 }),
      s.createOrder(buildChannelOrder(), { batchSize: 0.5 }),
      s.createCancel(buildCancelOrder(buildChannelOrder()), { isSuccessLog: 1 } as never),
    ];
    for (const run of refused) await expect(run).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});

describe('cancels and imports side by side', () => {
  it('a cancel run holds the commit lock for orders only for its final commit, so an import meanwhile succeeds', async () => {
    const omnitron = new InMemoryOmnitron();
    const orders = [buildChannelOrder(), buildChannelOrder()];
    const importer = new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders: [buildChannelOrder()] }),
    });
    let imported: Awaited<ReturnType<OrderService['fetchAndCreateOrder']>> | undefined;
    /** A marketplace whose cancel feed pauses after the first cancel while another run imports an order. */
    class CancelsWithImportBetween extends ScriptedChannel {
      override async *getCancelledOrders() {
        let yielded = 0;
        for await (const item of super.getCancelledOrders()) {
          if (yielded++ === 1) imported = await importer.fetchAndCreateOrder();
          yield item;
        }
      }
    }
    const channel = new CancelsWithImportBetween({ orders });
    const service = new OrderService({ omnitron, channel });
    await service.fetchAndCreateOrder();
    channel.script.cancelledOrders = orders.map((o) => buildCancelOrder(o));
    const result = await service.fetchAndCreateCancel();
    expect(result.counts.failed).toBe(0);
    expect(imported?.counts).toMatchObject({ created: 1, failed: 0 });
  });
});
