import { describe, expect, it } from 'vitest';
import { type KeyedLock, OmnitronRestIntegration, OrderService } from '../../src/index.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

/** No lock at all: what overlapping runs did before find-or-create was locked. */
const noLock: KeyedLock = { withLock: (_key, fn) => fn() };

const ORDERS = 120;
const CUSTOMERS = 20;
const orders = Array.from({ length: ORDERS }, (_, i) =>
  buildChannelOrder({
    customer: { email: `overlap${i % CUSTOMERS}@example.com` },
    items: [{ remoteId: `OV-${i}-1`, product: `PROD-${(i % 5) + 1}`, price: '10', taxRate: '20' }],
  }),
);

forEachBackend((setup, backend) => {
  describe('two OrderService instances importing overlapping orders at once', () => {
    async function overlap(lock: KeyedLock | undefined) {
      const env = await setup();
      env.server?.setLatency(3);
      // A second service with its own Omnitron client (same Omnitron channel) and its own marketplace feed.
      const second = env.server
        ? new OmnitronRestIntegration({ baseUrl: env.server.url, ...env.server.credentials, channelId: 1 })
        : env.omnitron;
      const services = [0, 1].map(
        (n) =>
          new OrderService({
            omnitron: n === 0 ? env.omnitron : second,
            channel: new ScriptedChannel({ orders: n === 0 ? orders.slice(0, 80) : orders.slice(40) }),
            ...(lock ? { lock } : {}),
          }),
      );
      // Omnitron lets one batch of a content type commit at a time, so one of the overlapping runs may be
      // refused mid-way; each then runs once more alone to finish its orders.
      await Promise.all(
        services.map((s) => s.fetchAndCreateOrder({ concurrency: 8, commitEvery: 5 }).catch(() => undefined)),
      );
      for (const s of services) await s.fetchAndCreateOrder();
      const emails = [...env.store.customers.values()].map((c) => c.email);
      const hashes = [...env.store.addresses.values()].map((a) => a.hashData);
      return {
        customers: emails.length - new Set(emails).size,
        addresses: hashes.length - new Set(hashes).size,
        orders: env.store.orders.size,
      };
    }

    it('creates each customer and address exactly once (the default, process-wide lock)', async () => {
      const withLock = await overlap(undefined);
      const without = await overlap(noLock);
      console.log(
        `overlap (${backend}): duplicates without a lock ${JSON.stringify(without)}, with ${JSON.stringify(withLock)}`,
      );
      expect(withLock).toEqual({ customers: 0, addresses: 0, orders: ORDERS });
    }, 60_000);
  });
});
