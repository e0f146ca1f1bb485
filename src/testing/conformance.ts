import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CancellationRequestStatus,
  CancellationRequestUpdateResult,
  CancelOrder,
  ChannelCancellationRequest,
} from '../dto/cancellation.js';
import { ChannelReport } from '../dto/error-report.js';
import { ChannelOrder } from '../dto/order.js';
import { OrderBatchResult } from '../dto/order-batch-result.js';
import { OrderItemUpdate } from '../dto/order-item-update.js';
import { NotSupportedError } from '../errors/not-supported-error.js';
import type { ChannelCallContext, ChannelIntegration } from '../integrations/channel-integration.js';
import type { FlowResult } from '../orders/flow-result.js';
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
  /**
   * Names the `describe` block {@link describeChannelIntegration} registers, so that two adapters tested in
   * one file can be told apart in the test report. Default: `ChannelIntegration conformance`.
   */
  title?: string;
  /**
   * The marketplace data behind the optional streams, one function per stream. The suite calls it after
   * `setup`, then reads the stream: the function puts the stream's data on your marketplace (or leaves what
   * `setup` put there) and returns the ids the stream must yield, each once. Every item the stream yields is
   * validated against the SDK's schema for it, whether or not you supply data here; supplying it makes sure
   * the stream is read with something in it. Supplying data for a stream the adapter does not override fails
   * the check, as a misspelt method name would otherwise pass unnoticed.
   */
  streams?: {
    /**
     * Puts cancelled orders on the marketplace; returns the marketplace ids of the orders they cancel
     * (`CancelOrder.order`), one per cancellation that `getCancelledOrders` must yield.
     */
    getCancelledOrders?(): Promise<string[]> | string[];
    /**
     * Puts changed order lines on the marketplace; returns their marketplace line ids
     * (`OrderItemUpdate.remoteId`), one per update that `getUpdatedOrderItems` must yield.
     */
    getUpdatedOrderItems?(): Promise<string[]> | string[];
    /**
     * Puts cancellation or return requests on the marketplace; returns their marketplace ids
     * (`ChannelCancellationRequest.remoteId`), one per request that `getCancellationRequests` must yield.
     * Requests on lines of orders the marketplace offers as new are also imported into the in-memory
     * Omnitron and sent back, approved, through `updateCancellationRequest`, whose answers are validated.
     */
    getCancellationRequests?(): Promise<string[]> | string[];
  };
}

const Envelope = z.object({
  data: z.record(z.string(), z.unknown()),
  reports: z.array(ChannelReport).optional(),
});
const WithReports = { reports: z.array(ChannelReport).optional() };
// What sendUpdatedOrders, checkOrders and updateCancellationRequest must answer, as the flows read it.
const SendAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), ...WithReports }),
  z.object({ status: z.literal('sent_to_remote'), remoteBatchId: z.string().min(1), ...WithReports }),
]);
const CheckAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ongoing'), ...WithReports }),
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), ...WithReports }),
]);
const RequestUpdateAnswer = CancellationRequestUpdateResult.extend(WithReports);

/** Per optional stream: the schema its items must pass, its name in messages, and the field that ids an item. */
const STREAMS = {
  getCancelledOrders: { schema: CancelOrder, dto: 'CancelOrder', key: 'order' },
  getUpdatedOrderItems: { schema: OrderItemUpdate, dto: 'OrderItemUpdate', key: 'remoteId' },
  getCancellationRequests: {
    schema: ChannelCancellationRequest,
    dto: 'ChannelCancellationRequest',
    key: 'remoteId',
  },
} as const;
type StreamName = keyof typeof STREAMS;

/**
 * Asserts that a list of problems is empty, with the problems in the message itself: vitest shortens a
 * failed `toEqual([])` to "expected [ Array(1) ]", which hides the stream, the id and the field.
 */
function expectNone(problems: readonly string[], what: string): void {
  expect(problems, problems.length ? `${what}:\n  ${problems.join('\n  ')}\n` : what).toEqual([]);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
}

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
      expectNone(
        invalid.filter((line) => !declared.has(line.split(':')[0] ?? '')),
        'orders that fail validation',
      );
    },
  },
  ...(Object.keys(STREAMS) as StreamName[]).map(
    (stream): ConformanceCheck => ({
      title: `${stream} yields valid ${STREAMS[stream].dto} items, each supplied one once, or throws NotSupportedError`,
      run: (channel, probe) => checkStream(channel, probe, stream),
    }),
  ),
  {
    title: 'checkOrders and acknowledgeOrders either are implemented or reject with NotSupportedError',
    run: async (channel) => {
      // What they do when implemented is checked by the update and acknowledgement checks below.
      for (const operation of ['checkOrders', 'acknowledgeOrders'] as const) {
        if (channel.supports(operation)) continue;
        await expect(
          channel[operation]({ ...context(), orders: [], remoteBatchId: 'conformance' }),
          `${operation} says it is not supported`,
        ).rejects.toBeInstanceOf(NotSupportedError);
      }
    },
  },
  {
    title:
      'updateCancellationRequest answers every request it is sent with a valid { status, message? }, or rejects with NotSupportedError',
    run: async (channel, probe) => {
      if (!channel.supports('updateCancellationRequest')) {
        await expect(
          channel.updateCancellationRequest({ ...context(), request: null as never }),
          'updateCancellationRequest says it is not supported',
        ).rejects.toBeInstanceOf(NotSupportedError);
        return;
      }
      const invalid: string[] = [];
      validateAnswers(channel, 'updateCancellationRequest', RequestUpdateAnswer, invalid);
      const omnitron = await omnitronFor(probe);
      const service = new OrderService({ omnitron, channel });
      // The requests to send back are the ones the marketplace itself offered, on orders it offered: ids
      // the suite made up would only test the marketplace's "not found".
      await service.fetchAndCreateOrder();
      if (channel.supports('getCancellationRequests')) {
        await probe.streams?.getCancellationRequests?.();
        await service.fetchAndCreateCancellationRequests();
      }
      for (const request of omnitron.store.cancellationRequests.values())
        omnitron.store.setCancellationRequestStatus(request.id, CancellationRequestStatus.approved);
      const sent = await service.updateCancellationRequests();
      expectNone(invalid, 'updateCancellationRequest answers that are not valid');
      expectNone(
        sent.items
          .filter((i) => i.error?.code === 'CHANNEL_ERROR')
          .map((i) => `${i.key}: ${i.error?.message}`),
        'request updates the adapter failed on',
      );
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
      const invalid: string[] = [];
      validateAnswers(channel, 'sendUpdatedOrders', SendAnswer, invalid);
      validateAnswers(channel, 'checkOrders', CheckAnswer, invalid);
      const omnitron = await omnitronFor(probe);
      const service = new OrderService({ omnitron, channel });
      await service.fetchAndCreateOrder();
      for (const order of omnitron.store.orders.values())
        omnitron.store.touchOrder(order.id, { status: '500' });
      const answers = 'sendUpdatedOrders and checkOrders answers that are not valid';
      // The flow gives up on an invalid answer with its own, vaguer error; the field-by-field one goes first.
      const flow = async (run: () => Promise<FlowResult>) =>
        run().catch((error: unknown) => {
          expectNone(invalid, answers);
          throw error;
        });
      const sent = await flow(() => service.updateOrders({ isSync: !channel.supports('checkOrders') }));
      let items = sent.items;
      for (
        let poll = 0;
        poll < 10 && items.some((i) => i.status === 'sent' || i.status === 'ongoing');
        poll += 1
      ) {
        items = (await flow(() => service.getOrderBatchRequests())).items;
      }
      expectNone(invalid, answers);
      const missing = items.filter((i) => i.error?.message.includes('sent no result'));
      expectNone(
        missing.map((i) => i.key),
        'orders the marketplace gave no result for',
      );
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
 * Registers vitest tests, in a `describe` block named by `probe.title`, that check a `ChannelIntegration`
 * subclass against the SDK's contract: that every stream yields valid items (orders, cancellations, line
 * updates, return requests, fed by `probe.streams`), that it answers an update for every order and a
 * cancellation request update with valid results, that optional methods it lacks say they are not
 * supported, and that it acknowledges only orders Omnitron confirmed, so nothing is lost or created twice.
 *
 * @example
 * ```ts
 * describeChannelIntegration(() => new MyMarketplace({ baseUrl: sandbox.url, apiKey }), {
 *   title: 'MyMarketplace conformance',
 *   setup: () => sandbox.reset(),
 *   pendingOrderIds: () => sandbox.newOrderIds(),
 *   acknowledgedOrderIds: () => sandbox.acknowledgedIds(),
 *   prepareOmnitron: (omnitron) => omnitron.store.addProduct({ remoteId: 'SKU-1' }),
 *   streams: { getCancelledOrders: () => sandbox.cancel('ORDER-1') }, // returns ['ORDER-1']
 * });
 * ```
 */
export function describeChannelIntegration(
  factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  probe: ChannelProbe,
): void {
  describe(probe.title ?? 'ChannelIntegration conformance', () => {
    for (const check of CHANNEL_CONFORMANCE_CHECKS)
      it(check.title, () => runConformanceCheck(check, factory, probe));
  });
}

function remoteIdOf(omnitron: InMemoryOmnitron, orderId: number | undefined): string {
  const id = omnitron.store.orders.get(orderId ?? -1)?.extraField.id;
  return typeof id === 'string' ? id : '';
}

/**
 * Reads one optional stream: an adapter without it must throw NotSupportedError; one with it must yield
 * `{ data, reports? }` items whose data passes the SDK's schema, and, when the probe supplied data, exactly
 * the ids the probe named.
 */
async function checkStream(
  channel: ChannelIntegration,
  probe: ChannelProbe,
  stream: StreamName,
): Promise<void> {
  const spec = STREAMS[stream];
  const supply = probe.streams?.[stream];
  if (!channel.supports(stream)) {
    expect(() => channel[stream](context()), `${stream} says it is not supported`).toThrow(NotSupportedError);
    expect(
      supply === undefined,
      `the probe supplies ${stream} data, but the adapter does not override ${stream}`,
    ).toBe(true);
    return;
  }
  const expected = supply ? [...(await supply.call(probe.streams))].sort() : undefined;
  const seen: string[] = [];
  const invalid: string[] = [];
  let position = 0;
  for await (const item of channel[stream](context()) as AsyncIterable<unknown>) {
    position += 1;
    const envelope = Envelope.safeParse(item);
    if (!envelope.success) {
      invalid.push(`item ${position} is not { data, reports? }: ${describeIssues(envelope.error)}`);
      continue;
    }
    const id = envelope.data.data[spec.key];
    const key = typeof id === 'string' && id !== '' ? id : `item ${position}`;
    seen.push(key);
    const parsed = spec.schema.safeParse(envelope.data.data);
    if (!parsed.success) invalid.push(`${key}: ${describeIssues(parsed.error)}`);
  }
  expectNone(invalid, `${stream} items that are not valid ${spec.dto}`);
  if (expected)
    expect(seen.sort(), `${stream} yields the items the probe supplied, each once`).toEqual(expected);
}

/**
 * Makes the channel check its own answers: each answer of `operation` is validated against `schema` before
 * the flow gets it, and what fails is added to `invalid`. The flow would turn an invalid answer into a
 * failed item, which the checks could not tell from a marketplace's refusal. Only a method the adapter
 * implements is wrapped, so `supports` answers as before.
 */
function validateAnswers(
  channel: ChannelIntegration,
  operation: 'sendUpdatedOrders' | 'checkOrders' | 'updateCancellationRequest',
  schema: z.ZodType,
  invalid: string[],
): void {
  if (!channel.supports(operation)) return;
  const original = channel[operation] as (input: unknown) => Promise<unknown>;
  Object.defineProperty(channel, operation, {
    configurable: true,
    writable: true,
    value: async (input: unknown) => {
      const answer = await original.call(channel, input);
      const parsed = schema.safeParse(answer);
      if (!parsed.success) invalid.push(`${operation}: ${describeIssues(parsed.error)}`);
      return answer;
    },
  });
}
