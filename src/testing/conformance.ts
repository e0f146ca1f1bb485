import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChannelReport } from '../dto/error-report.js';
import { ChannelOrder } from '../dto/order.js';
import { NotSupportedError } from '../errors/not-supported-error.js';
import type {
  ChannelCallContext,
  ChannelIntegration,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import { OrderService } from '../orders/order-service.js';
import { silentLogger } from '../reporting/logger.js';
import { InMemoryOmnitron } from './in-memory-omnitron.js';

/**
 * How the conformance suite looks at a team's marketplace (a test double or a sandbox). Each test calls
 * `setup` first and `teardown` last, then builds a fresh channel with the factory.
 */
export interface ChannelProbe {
  /** Starts or resets the marketplace so it offers its test orders as new. */
  setup?(): Promise<void> | void;
  /** Stops what `setup` started. */
  teardown?(): Promise<void> | void;
  /** Remote ids of the orders the marketplace offers as new right now. */
  pendingOrderIds(): Promise<string[]> | string[];
  /** Remote ids of the orders acknowledged on the marketplace so far (empty if it has no acknowledgement). */
  acknowledgedOrderIds(): Promise<string[]> | string[];
  /** Remote ids of test orders that are invalid on purpose; every other order must pass validation. */
  invalidOrderIds?: string[];
  /** Adds to the in-memory Omnitron what the marketplace's orders refer to: product mappings, cities, cargo companies. */
  prepareOmnitron?(omnitron: InMemoryOmnitron): Promise<void> | void;
}

const Envelope = z.object({
  data: z.record(z.string(), z.unknown()),
  reports: z.array(ChannelReport).optional(),
});
const STREAMS = ['getCancelledOrders', 'getUpdatedOrderItems', 'getCancellationRequests'] as const;

function context(): ChannelCallContext {
  const now = new Date().toISOString();
  return {
    batchRequest: {
      id: 1,
      localBatchId: 'conformance',
      remoteBatchId: null,
      contentType: null,
      status: 'initialized',
      objects: null,
      createdDate: now,
      modifiedDate: now,
    },
    signal: new AbortController().signal,
    logger: silentLogger,
  };
}

/** One check of the channel contract. */
export interface ConformanceCheck {
  /** What the check asserts, as the test's name. */
  title: string;
  /** Throws (an assertion error) when the channel breaks the contract. */
  run: (channel: ChannelIntegration, probe: ChannelProbe) => Promise<void>;
}

async function omnitronFor(probe: ChannelProbe): Promise<InMemoryOmnitron> {
  const omnitron = new InMemoryOmnitron();
  await probe.prepareOmnitron?.(omnitron);
  return omnitron;
}

/** The checks {@link describeChannelIntegration} registers, one vitest test each. */
export const CHANNEL_CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    title: 'getOrders yields every pending order once, as { data, reports? }, valid unless declared invalid',
    run: async (channel, probe) => {
      const pending = [...(await probe.pendingOrderIds())].sort();
      const seen: string[] = [];
      const invalid: string[] = [];
      for await (const item of channel.getOrders(context())) {
        const envelope = Envelope.safeParse(item);
        expect(
          envelope.success,
          `an item is not { data, reports? }: ${envelope.success ? '' : envelope.error.message}`,
        ).toBe(true);
        const data = (item as { data: { remoteId?: unknown } }).data;
        const parsed = ChannelOrder.safeParse(data);
        const id = String(data.remoteId);
        seen.push(id);
        if (!parsed.success)
          invalid.push(
            `${id}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
          );
      }
      expect(seen.sort(), 'the orders yielded are the pending ones, each once').toEqual(pending);
      const declared = new Set(probe.invalidOrderIds ?? []);
      expect(
        invalid.filter((line) => !declared.has(line.split(':')[0] ?? '')),
        'orders that fail validation',
      ).toEqual([]);
    },
  },
  {
    title: 'optional methods either work or throw NotSupportedError',
    run: async (channel) => {
      for (const operation of STREAMS) {
        if (channel.supports(operation)) {
          for await (const item of channel[operation](context()))
            expect(Envelope.safeParse(item).success, `${operation} yields { data, reports? }`).toBe(true);
        } else {
          expect(() => channel[operation](context()), `${operation} says it is not supported`).toThrow(
            NotSupportedError,
          );
        }
      }
      for (const operation of [
        'checkOrders',
        'updateCancellationRequest',
        'acknowledgeOrders',
      ] as ChannelOperation[]) {
        if (channel.supports(operation)) continue;
        const call = (channel as unknown as Record<string, (input: unknown) => Promise<unknown>>)[operation];
        await expect(
          call?.call(channel, { ...context(), orders: [] }),
          `${operation} says it is not supported`,
        ).rejects.toBeInstanceOf(NotSupportedError);
      }
    },
  },
  {
    title: 'acknowledges exactly the orders Omnitron confirmed, and a re-run creates nothing twice',
    run: async (channel, probe) => {
      const omnitron = await omnitronFor(probe);
      const service = new OrderService({ omnitron, channel });
      const pendingBefore = new Set(await probe.pendingOrderIds());
      const first = await service.fetchAndCreateOrder();
      const confirmed = new Set(
        first.items
          .filter((i) => i.status === 'created' || i.status === 'already_present')
          .map((i) => remoteIdOf(omnitron, i.omnitronId)),
      );
      const acknowledged = new Set(await probe.acknowledgedOrderIds());
      if (channel.supports('acknowledgeOrders')) {
        expect([...acknowledged].sort(), 'acknowledged orders are the confirmed ones').toEqual(
          [...confirmed].sort(),
        );
        const stillPending = [...(await probe.pendingOrderIds())].sort();
        const expected = [...pendingBefore].filter((id) => !confirmed.has(id)).sort();
        expect(stillPending, 'orders that failed are offered again; confirmed ones are not').toEqual(
          expected,
        );
      } else {
        expect(acknowledged.size, 'a channel without acknowledgeOrders acknowledges nothing').toBe(0);
      }
      const second = await service.fetchAndCreateOrder();
      expect(second.counts.created, 'a re-run creates no order').toBe(0);
      expect(omnitron.store.orders.size).toBe(confirmed.size);
    },
  },
  {
    title: 'answers an order update for every order it is sent',
    run: async (channel, probe) => {
      const omnitron = await omnitronFor(probe);
      const service = new OrderService({ omnitron, channel });
      await service.fetchAndCreateOrder();
      for (const order of omnitron.store.orders.values())
        omnitron.store.touchOrder(order.id, { status: '500' });
      const sent = await service.updateOrders({ isSync: !channel.supports('checkOrders') });
      let items = sent.items;
      for (
        let poll = 0;
        poll < 10 && items.some((i) => i.status === 'sent' || i.status === 'ongoing');
        poll += 1
      ) {
        items = (await service.getOrderBatchRequests()).items;
      }
      const missing = items.filter((i) => i.error?.message.includes('sent no result'));
      expect(
        missing.map((i) => i.key),
        'orders the marketplace gave no result for',
      ).toEqual([]);
      expect(
        items.filter((i) => i.status === 'sent' || i.status === 'ongoing'),
        'asynchronous updates finish',
      ).toEqual([]);
    },
  },
];

/** Runs one check: `setup`, a fresh channel from the factory, the check, `teardown`. */
export async function runConformanceCheck(
  check: ConformanceCheck,
  factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  probe: ChannelProbe,
): Promise<void> {
  await probe.setup?.();
  try {
    await check.run(await factory(), probe);
  } finally {
    await probe.teardown?.();
  }
}

/**
 * Registers vitest tests that check a `ChannelIntegration` subclass against the SDK's contract: what its
 * streams yield, that it answers an update for every order, that optional methods either work or say they
 * are not supported, and that it acknowledges only orders Omnitron confirmed, so nothing is lost or
 * created twice.
 *
 * @example
 * ```ts
 * describeChannelIntegration(() => new MyMarketplace({ baseUrl: sandbox.url, apiKey }), {
 *   setup: () => sandbox.reset(),
 *   pendingOrderIds: () => sandbox.newOrderIds(),
 *   acknowledgedOrderIds: () => sandbox.acknowledgedIds(),
 *   prepareOmnitron: (omnitron) => omnitron.store.addProduct({ remoteId: 'SKU-1' }),
 * });
 * ```
 */
export function describeChannelIntegration(
  factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  probe: ChannelProbe,
): void {
  describe('ChannelIntegration conformance', () => {
    for (const check of CHANNEL_CONFORMANCE_CHECKS)
      it(check.title, () => runConformanceCheck(check, factory, probe));
  });
}

function remoteIdOf(omnitron: InMemoryOmnitron, orderId: number | undefined): string {
  const id = omnitron.store.orders.get(orderId ?? -1)?.extraField.id;
  return typeof id === 'string' ? id : '';
}
