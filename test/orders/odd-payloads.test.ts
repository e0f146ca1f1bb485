import { describe, expect, it } from 'vitest';
import { type ChannelItem, InvalidPayloadError, OrderService } from '../../src/index.js';
import {
  buildCancellationRequest,
  buildCancelOrder,
  buildChannelOrder,
  buildOrderItemUpdate,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { failureReports, forEachBackend } from '../support.js';

// Hostile values a marketplace adapter might yield. Each must fail its own item as INVALID_PAYLOAD, with an
// error report, while the items around it go on.

/** An object nested `levels` deep: `{ a: { a: { … } } }`. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

/** A `Proxy` that throws on every trap, even `getPrototypeOf` and `ownKeys`. */
function hostileProxy(): object {
  const fail = () => {
    throw new Error('trap');
  };
  return new Proxy(
    {},
    {
      get: fail,
      has: fail,
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
      getPrototypeOf: fail,
      set: fail,
      defineProperty: fail,
      deleteProperty: fail,
      isExtensible: fail,
      preventExtensions: fail,
      setPrototypeOf: fail,
    },
  );
}

function withThrowingGetter<T extends object>(value: T, field: string): T {
  Object.defineProperty(value, field, {
    enumerable: true,
    get() {
      throw new Error(`getter of ${field} broke`);
    },
  });
  return value;
}

const throwingToJson = {
  toJSON: () => {
    throw new Error('toJSON broke');
  },
};

/** The hostile orders, named for the test messages; each is expected to fail alone. */
function hostileOrders() {
  return {
    '5000-deep extraField': buildChannelOrder({ extraField: nested(5000) }),
    '40-deep extraField (over the extraField limit only)': buildChannelOrder({ extraField: nested(40) }),
    'cyclic extraField': buildChannelOrder({ extraField: cyclic() }),
    'BigInt in extraField': buildChannelOrder({ extraField: { total: 10n } }),
    'throwing toJSON in extraField': buildChannelOrder({ extraField: { x: throwingToJson } }),
    'throwing getter on number': withThrowingGetter(buildChannelOrder(), 'number'),
    'throwing getter on an item price': (() => {
      const order = buildChannelOrder();
      withThrowingGetter(order.items[0] as object, 'price');
      return order;
    })(),
    'Proxy that throws on every trap': hostileProxy(),
    '10 MB string in extraField': buildChannelOrder({ extraField: { blob: 'x'.repeat(10 * 1024 * 1024) } }),
    '1e6 keys in extraField': buildChannelOrder({
      extraField: Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i])),
    }),
  };
}

/** A channel that yields exactly what it is given, without reading it (the scripted one reads `remoteId`). */
class RawOrdersChannel extends ScriptedChannel {
  constructor(readonly raw: unknown[]) {
    super();
  }
  override async *getOrders(): AsyncIterable<ChannelItem<never>> {
    for (const data of this.raw) yield { data } as ChannelItem<never>;
  }
}

forEachBackend((setup) => {
  describe('odd payloads from the channel adapter', () => {
    it('fails each hostile order alone as INVALID_PAYLOAD with a report, and imports the others', async () => {
      const hostile = hostileOrders();
      const first = buildChannelOrder();
      const last = buildChannelOrder();
      const env = await setup();
      const raw = [first, ...Object.values(hostile), last];
      // The scripted channel reads each order's remoteId to filter acknowledged ones; this one reads nothing.
      const channel = new RawOrdersChannel(raw);
      const service = new OrderService({ omnitron: env.omnitron, channel, concurrency: 4 });

      const result = await service.fetchAndCreateOrder();

      expect(result.items).toHaveLength(raw.length);
      expect(result.items[0]?.status).toBe('created');
      expect(result.items.at(-1)?.status).toBe('created');
      const names = Object.keys(hostile);
      for (const [index, name] of names.entries()) {
        const outcome = result.items[index + 1];
        expect(outcome?.status, name).toBe('failed');
        expect(outcome?.error, name).toBeInstanceOf(InvalidPayloadError);
        expect(outcome?.error?.code, name).toBe('INVALID_PAYLOAD');
      }
      expect(result.counts).toMatchObject({ fetched: raw.length, created: 2, failed: names.length });
      expect(result.batchRequest?.status).toBe('done');
      expect(env.store.orders.size).toBe(2);
      // One error report per refused order, each saying why.
      const reports = failureReports(env.store).filter((r) => r.rawResponse.startsWith('INVALID_PAYLOAD'));
      expect(reports).toHaveLength(names.length);
      // What a throwing getter said is never quoted: it may hold anything.
      for (const report of reports) expect(report.rawResponse).not.toContain('broke');
    });

    it('names the field and the limit in the error', async () => {
      const hostile = hostileOrders();
      const env = await setup();
      const channel = new RawOrdersChannel([
        hostile['5000-deep extraField'],
        hostile['40-deep extraField (over the extraField limit only)'],
        hostile['BigInt in extraField'],
        hostile['cyclic extraField'],
      ]);
      const service = new OrderService({ omnitron: env.omnitron, channel });

      const result = await service.fetchAndCreateOrder();

      const messages = result.items.map((i) => i.error?.message ?? '');
      expect(messages[0]).toMatch(/extraField\.a\.a.*nested deeper than 64 levels/);
      expect(messages[1]).toMatch(/extraField.*nested deeper than 32 levels/);
      expect(messages[2]).toMatch(/extraField\.total: is a BigInt/);
      expect(messages[3]).toMatch(/extraField\.self: contains itself/);
    });

    it('fails hostile cancels alone', async () => {
      const order = buildChannelOrder();
      const { service, channel, store } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      const reasons: Record<string, unknown> = {};
      reasons.again = reasons;
      channel.script.cancelledOrders = [
        withThrowingGetter(buildCancelOrder(order), 'order'),
        { ...buildCancelOrder(order), reasons },
        hostileProxy(),
        { ...buildCancelOrder(order), isCargoRefund: throwingToJson },
        buildCancelOrder(order),
      ];

      const result = await service.fetchAndCreateCancel();

      expect(result.items.map((i) => i.error?.code ?? i.status)).toEqual([
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'created',
      ]);
      expect(store.cancellations).toHaveLength(1);
    });

    it('fails hostile order-line updates alone', async () => {
      const order = buildChannelOrder();
      const { service, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.updatedOrderItems = [
        buildOrderItemUpdate(order, { extraField: { big: 1n } as never }),
        buildOrderItemUpdate(order, { extraField: nested(5000) }),
        hostileProxy(),
        withThrowingGetter(buildOrderItemUpdate(order), 'status'),
        buildOrderItemUpdate(order),
      ];

      const result = await service.fetchAndUpdateOrderItems();

      expect(result.items.map((i) => i.error?.code ?? i.status)).toEqual([
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'updated',
      ]);
    });

    it('fails hostile cancellation requests alone', async () => {
      const order = buildChannelOrder();
      const { service, channel, store } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.cancellationRequests = [
        { ...buildCancellationRequest(order), description: throwingToJson },
        withThrowingGetter(buildCancellationRequest(order), 'remoteId'),
        hostileProxy(),
        { ...buildCancellationRequest(order), remoteId: 7n },
        buildCancellationRequest(order),
      ];

      const result = await service.fetchAndCreateCancellationRequests();

      expect(result.items.map((i) => i.error?.code ?? i.status)).toEqual([
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'INVALID_PAYLOAD',
        'created',
      ]);
      expect(store.cancellationRequests.size).toBe(1);
    });

    it('turns a hostile answer of sendUpdatedOrders into INVALID_PAYLOAD outcomes, not UNEXPECTED', async () => {
      const order = buildChannelOrder();
      const { service, channel, store } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      for (const stored of store.orders.values()) store.touchOrder(stored.id, { status: '500' });
      channel.script.sendUpdatedOrders = () => withThrowingGetter({ status: 'done' } as never, 'results');

      const result = await service.updateOrders();

      expect(result.items.map((i) => i.error?.code)).toEqual(['INVALID_PAYLOAD']);
      expect(result.items[0]?.error).toBeInstanceOf(InvalidPayloadError);
      expect([...store.batchRequests.values()].at(-1)?.status).toBe('done');
      expect(store.listOrdersAwaitingUpdate()).toHaveLength(1);
    });
  });
});
