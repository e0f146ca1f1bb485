/**
 * The checks of the order side of the contract: the order stream, the optional order methods,
 * acknowledgement, and order updates.
 */
import { expect } from 'vitest';
import { ChannelOrder } from '../../dto/channel-order.js';
import { NotSupportedError } from '../../errors/channel-errors.js';
import type { FlowResult } from '../../orders/flow-result.js';
import { OrderService } from '../../orders/order-service.js';
import type { InMemoryOmnitron } from '../in-memory-omnitron.js';
import type { ConformanceCheck } from './probe.js';
import {
  CheckAnswer,
  context,
  Envelope,
  expectNone,
  omnitronFor,
  SendAnswer,
  validateAnswers,
} from './support.js';

/** Reads `getOrders` and compares what it yields with the orders the probe says are pending. */
export const ordersCheck: ConformanceCheck = {
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
};

/** Calls the optional order methods the adapter lacks, which must say they are not supported. */
export const optionalOrderMethodsCheck: ConformanceCheck = {
  title: 'checkOrders and acknowledgeOrders either are implemented or reject with NotSupportedError',
  run: async (channel) => {
    // What they do when implemented is checked by acknowledgementCheck and orderUpdateCheck.
    for (const operation of ['checkOrders', 'acknowledgeOrders'] as const) {
      if (channel.supports(operation)) continue;
      await expect(
        channel[operation]({ ...context(), orders: [], remoteBatchId: 'conformance' }),
        `${operation} says it is not supported`,
      ).rejects.toBeInstanceOf(NotSupportedError);
    }
  },
};

/** Imports the pending orders twice and compares what the marketplace acknowledged with what Omnitron confirmed. */
export const acknowledgementCheck: ConformanceCheck = {
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
      expect(stillPending, 'orders that failed are offered again; confirmed ones are not').toEqual(expected);
    } else {
      expect(acknowledged.size, 'a channel without acknowledgeOrders acknowledges nothing').toBe(0);
    }
    const second = await service.fetchAndCreateOrder();
    expect(second.counts.created, 'a re-run creates no order').toBe(0);
    expect(omnitron.store.orders.size).toBe(confirmed.size);
  },
};

/** Sends an update of every imported order and polls until each has a result. */
export const orderUpdateCheck: ConformanceCheck = {
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
};

function remoteIdOf(omnitron: InMemoryOmnitron, orderId: number | undefined): string {
  const id = omnitron.store.orders.get(orderId ?? -1)?.extraField.id;
  return typeof id === 'string' ? id : '';
}
