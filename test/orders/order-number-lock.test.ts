import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChannelOrderInput,
  InProcessKeyedLock,
  type KeyedLock,
  type OrderCreate,
  OrderService,
} from '../../src/index.js';
import { RedisKeyedLock } from '../../src/scheduler/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An Omnitron that does not refuse a second order with the same number (nothing in its public reference
 * promises an error the SDK can rely on): it counts every create sent for a number it already has. Creates
 * take a while, so two runs that both looked the number up before either created it overlap.
 */
class NoUniqueNumbers extends InMemoryOmnitron {
  readonly creates = new Map<string, number>();

  override async createOrder(input: OrderCreate) {
    this.creates.set(input.number, (this.creates.get(input.number) ?? 0) + 1);
    await sleep(30);
    const existing = this.store.findOrderByNumber(input.number);
    // The second copy "succeeds": answer the first one, as such a server would answer its new order.
    if (existing) return existing;
    return super.createOrder(input);
  }
}

/** The scheduled import and a webhook's `createOrder` of the same orders, at the same time. */
async function overlap(locks: [KeyedLock, KeyedLock], orders: ChannelOrderInput[]) {
  const omnitron = new NoUniqueNumbers();
  const scheduled = new OrderService({ omnitron, channel: new ScriptedChannel({ orders }), lock: locks[0] });
  const webhook = new OrderService({ omnitron, channel: new ScriptedChannel(), lock: locks[1] });
  const [imported, ...pushed] = await Promise.all([
    scheduled.fetchAndCreateOrder(),
    ...orders.map((order) => webhook.createOrder(order)),
  ]);
  const sent = [...omnitron.creates.values()];
  return { omnitron, imported, pushed, sent };
}

describe('an order number is looked up and created under its lock', () => {
  const orders = () => Array.from({ length: 8 }, () => buildChannelOrder());

  it('a webhook and the scheduled import of the same orders send one create per number (one process)', async () => {
    const lock = new InProcessKeyedLock();
    const { omnitron, imported, pushed, sent } = await overlap([lock, lock], orders());

    expect(sent).toEqual(Array.from({ length: 8 }, () => 1));
    expect(omnitron.store.orders.size).toBe(8);
    expect(imported.counts.failed).toBe(0);
    expect(pushed.every((r) => r.counts.failed === 0)).toBe(true);
    const statuses = [...imported.items, ...pushed.flatMap((r) => r.items)].map((i) => i.status).sort();
    expect(statuses.filter((s) => s === 'created')).toHaveLength(8);
  });

  it('costs no look-up of its own for a number nobody held before', async () => {
    const omnitron = new InMemoryOmnitron();
    const lookups: string[] = [];
    const find = omnitron.findOrderByNumber.bind(omnitron);
    omnitron.findOrderByNumber = (number: string) => {
      lookups.push(number);
      return find(number);
    };
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders: orders() }),
      lock: new InProcessKeyedLock(),
    });
    const result = await service.fetchAndCreateOrder();
    expect(result.counts.created).toBe(8);
    expect(lookups).toEqual([]);
  });

  const redisUrl = process.env.REDIS_URL;
  describe.skipIf(!redisUrl)('across processes (a Redis lock each)', () => {
    const clients: Redis[] = [];
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.quit()));
    });

    it('a webhook and the scheduled import in two processes send one create per number', async () => {
      const prefix = `test:order-lock:${Date.now()}`;
      const lock = () => {
        const client = new Redis(redisUrl as string);
        clients.push(client);
        return new RedisKeyedLock(client, { prefix, retryDelay: 5 });
      };
      const { omnitron, sent } = await overlap([lock(), lock()], orders());
      expect(sent).toEqual(Array.from({ length: 8 }, () => 1));
      expect(omnitron.store.orders.size).toBe(8);
    });
  });
});
