import { describe, expect, it } from 'vitest';
import { type FlowResult, type ImportOrdersOptions, OrderService } from '../../src/index.js';
import type { FlowRunner, FlowSummary } from '../../src/scheduler/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import { queueName, redisUrl, testScheduler } from './redis-schedulers.js';

describe.skipIf(!redisUrl)('outcomes of a scheduled run', () => {
  it('keeps no more than the failures its summary lists, and the summary says how many it left out', async () => {
    // 105 orders Omnitron refuses (no such cargo company) and one it takes.
    const orders = [
      ...Array.from({ length: 105 }, () => buildChannelOrder({ cargoCompany: 'NOPE' })),
      buildChannelOrder(),
    ];
    const service = new OrderService({
      omnitron: new InMemoryOmnitron(),
      channel: new ScriptedChannel({ orders }),
    });
    let returned: FlowResult | undefined;
    // The service as the scheduler sees it, keeping what the flow returned to look at its items.
    const runner = {
      fetchAndCreateOrder: async (options: ImportOrdersOptions) => {
        returned = await service.fetchAndCreateOrder(options);
        return returned;
      },
    } as unknown as FlowRunner;
    const s = testScheduler({ queueName: queueName() }).register({
      id: 'acme',
      service: () => runner,
      flows: {},
    });
    await s.start();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    let summary: FlowSummary | undefined;
    for (let i = 0; i < 400 && summary === undefined; i += 1) {
      summary = ((await s.queue?.getJob(job.id ?? ''))?.returnvalue as FlowSummary | undefined) ?? undefined;
      if (summary === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(returned?.items).toHaveLength(100);
    expect(returned?.items.every((i) => i.status === 'failed')).toBe(true);
    expect(returned?.itemsOverLimit).toBe(5);
    expect(summary?.counts).toMatchObject({ fetched: 106, created: 1, failed: 105 });
    expect(summary?.failures).toHaveLength(100);
    expect(summary?.failuresOmitted).toBe(5);
  }, 30_000);
});
