/**
 * The checks of the optional streams (cancellations, line updates, cancellation and return requests) and
 * of `updateCancellationRequest`, which sends the requests back.
 */
import { expect } from 'vitest';
import {
  CancellationRequestStatus,
  CancelOrder,
  ChannelCancellationRequest,
} from '../../dto/cancellation.js';
import { OrderItemUpdate } from '../../dto/order-item-update.js';
import { NotSupportedError } from '../../errors/channel-errors.js';
import type { ChannelIntegration, ItemAcknowledgement } from '../../integrations/channel-integration.js';
import { OrderService } from '../../orders/order-service.js';
import type { ChannelProbe, ConformanceCheck } from './probe.js';
import {
  context,
  describeIssues,
  Envelope,
  expectNone,
  omnitronFor,
  RequestUpdateAnswer,
  validateAnswers,
} from './support.js';

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

/** One check per optional stream, in the order of {@link STREAMS}. */
export const streamChecks: readonly ConformanceCheck[] = (Object.keys(STREAMS) as StreamName[]).map(
  (stream): ConformanceCheck => ({
    title: `${stream} yields valid ${STREAMS[stream].dto} items, each supplied one once, or throws NotSupportedError`,
    run: (channel, probe) => checkStream(channel, probe, stream),
  }),
);

/** Sends the marketplace's own cancellation requests back, approved, and validates the answers. */
export const requestUpdateCheck: ConformanceCheck = {
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
      sent.items.filter((i) => i.error?.code === 'CHANNEL_ERROR').map((i) => `${i.key}: ${i.error?.message}`),
      'request updates the adapter failed on',
    );
  },
};

/** Per acknowledge method: the stream whose outcomes it hears, and the flow that reads that stream. */
const ACKNOWLEDGEMENTS = {
  acknowledgeCancels: {
    stream: 'getCancelledOrders',
    flow: (service: OrderService) => service.fetchAndCreateCancel(),
  },
  acknowledgeOrderItemUpdates: {
    stream: 'getUpdatedOrderItems',
    flow: (service: OrderService) => service.fetchAndUpdateOrderItems(),
  },
  acknowledgeCancellationRequests: {
    stream: 'getCancellationRequests',
    flow: (service: OrderService) => service.fetchAndCreateCancellationRequests(),
  },
} as const satisfies Record<ItemAcknowledgement, { stream: StreamName; flow: unknown }>;

/**
 * Runs each stream's flow against what the adapter yields and checks its acknowledge method took the
 * outcomes the flow sent (no failed acknowledge in the error reports); an adapter without the method must
 * reject with NotSupportedError, and one with it must read the stream too.
 */
export const itemAcknowledgementCheck: ConformanceCheck = {
  title:
    'acknowledgeCancels, acknowledgeOrderItemUpdates and acknowledgeCancellationRequests take what their flow sends, or reject with NotSupportedError',
  run: async (channel, probe) => {
    for (const operation of Object.keys(ACKNOWLEDGEMENTS) as ItemAcknowledgement[]) {
      const { stream, flow } = ACKNOWLEDGEMENTS[operation];
      if (!channel.supports(operation)) {
        await expect(
          channel[operation]({ ...context(), applied: [], failed: [] }),
          `${operation} says it is not supported`,
        ).rejects.toBeInstanceOf(NotSupportedError);
        continue;
      }
      expect(channel.supports(stream), `${operation} hears the outcomes of ${stream}, which it lacks`).toBe(
        true,
      );
      const omnitron = await omnitronFor(probe);
      const service = new OrderService({ omnitron, channel });
      await service.fetchAndCreateOrder();
      await probe.streams?.[stream]?.();
      const result = await flow(service);
      const step = operation.charAt(0).toUpperCase() + operation.slice(1);
      expectNone(
        omnitron.store.errorReports
          .filter((r) => !r.isOk && r.errorCode.includes(`-${step}-`))
          .map((r) => r.errorDescription),
        `${operation} calls that failed`,
      );
      expect(result.batchRequest?.status, `${stream}'s batch request ends done`).toBe('done');
    }
  },
};

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
