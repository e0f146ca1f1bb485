import { describe, expect, it } from 'vitest';
import type { ChannelOrderInput, FlowResult } from '../../src/index.js';
import { buildChannelOrder, type OmnitronStore, type ScriptedChannel } from '../../src/testing/index.js';
import { type Env, forEachBackend } from '../support.js';
import { streamFingerprint } from './stream-fingerprint.js';

/** Sixty orders (more than one chunk of 50), each with a line of two units (`<n>-A`). */
function sixtyOrders(): ChannelOrderInput[] {
  return Array.from({ length: 60 }, (_, i) =>
    buildChannelOrder({
      remoteId: `R${i}`,
      number: `N${i}`,
      items: [{ remoteId: `${i}-A`, product: 'PROD-1', price: '5', taxRate: '20', quantity: 2 }],
    }),
  );
}

/** Line changes: new tracking, the same change again, status then tracking of one line in a row, unknown lines, invalid ones. */
function mixedLineChanges(): unknown[] {
  return Array.from({ length: 70 }, (_, j) => {
    const line = `${j % 60}-A`;
    if (j % 10 === 3) return { remoteId: 'UNKNOWN-LINE', trackingNumber: 'X' };
    if (j % 10 === 7) return { remoteId: line, trackingNumber: 42 };
    if (j >= 60) return { remoteId: line, status: '500', trackingNumber: `TRK-${j % 60}` };
    return { remoteId: line, trackingNumber: `TRK-${j}` };
  });
}

/** Requests: one unit each of every other line, repeats, two requests of one line, too many units, unknown lines. */
function mixedRequests(): unknown[] {
  return Array.from({ length: 70 }, (_, j) => {
    const orderItem = `${j % 60}-A`;
    if (j % 10 === 3) return { remoteId: `Q${j}`, orderItem: 'UNKNOWN-LINE', reason: 'DAMAGED' };
    if (j % 10 === 7) return { remoteId: `Q${j}`, orderItem, reason: 'DAMAGED', quantity: 3 };
    if (j >= 60) return { remoteId: `Q${j - 60}`, orderItem, reason: 'DAMAGED' };
    return { remoteId: `Q${j}`, orderItem, reason: 'DAMAGED' };
  });
}

/** What must not depend on timing: {@link streamFingerprint}, every unit and every request. */
function fingerprint(result: FlowResult, store: OmnitronStore, channel: ScriptedChannel) {
  return {
    ...streamFingerprint(result, store, channel),
    units: [...store.orderItems.values()].map((u) => [u.id, u.status, u.trackingNumber]),
    requests: [...store.cancellationRequests.values()].map((r) => [r.remoteId, r.orderItem]).sort(),
  };
}

forEachBackend((setup, backend) => {
  const imported = async () => {
    const env = await setup({ orders: sixtyOrders() });
    await env.service.fetchAndCreateOrder();
    return env;
  };
  /** Omnitron requests a flow made per item it read, when the backend is the mock server. */
  const requestsPerItem = async (env: Env, flow: () => Promise<FlowResult>) => {
    const before = env.server?.requests.length ?? 0;
    const result = await flow();
    return ((env.server?.requests.length ?? 0) - before) / result.counts.fetched;
  };

  describe('line change and cancellation request concurrency', () => {
    it('gives the same line-change outcomes, units, reports and acknowledgements at concurrency 1 and 8', async () => {
      const runAt = async (concurrency: number) => {
        const env = await imported();
        env.channel.script.updatedOrderItems = mixedLineChanges();
        const result = await env.service.fetchAndUpdateOrderItems({ concurrency, isSuccessLog: true });
        return { result, print: fingerprint(result, env.store, env.channel) };
      };
      const one = await runAt(1);
      const eight = await runAt(8);
      expect(eight.print).toEqual(one.print);
      const statuses = one.result.items.map((i) => i.error?.code ?? i.status);
      for (const status of ['updated', 'MAPPING_NOT_FOUND', 'INVALID_PAYLOAD'])
        expect(statuses, status).toContain(status);
    });

    it('gives the same request outcomes, requests, reports and acknowledgements at concurrency 1 and 8', async () => {
      const runAt = async (concurrency: number) => {
        const env = await imported();
        env.channel.script.cancellationRequests = mixedRequests();
        const result = await env.service.fetchAndCreateCancellationRequests({
          concurrency,
          isSuccessLog: true,
        });
        return { result, print: fingerprint(result, env.store, env.channel) };
      };
      const one = await runAt(1);
      const eight = await runAt(8);
      expect(eight.print).toEqual(one.print);
      const statuses = one.result.items.map((i) => i.error?.code ?? i.status);
      for (const status of ['created', 'already_present', 'MAPPING_NOT_FOUND', 'INVALID_PAYLOAD'])
        expect(statuses, status).toContain(status);
    });

    it.runIf(backend === 'rest')(
      'reads each chunk of line changes and requests with a few requests',
      async () => {
        const env = await imported();
        env.channel.script.updatedOrderItems = sixtyOrders().map((o, i) => ({
          remoteId: o.items[0]?.remoteId,
          trackingNumber: `TRK-${i}`,
        }));
        env.channel.script.cancellationRequests = sixtyOrders().map((o, i) => ({
          remoteId: `Q${i}`,
          orderItem: o.items[0]?.remoteId,
          reason: 'DAMAGED',
        }));
        // Two units per line: a line change is two updates, a one-unit request one create.
        expect(await requestsPerItem(env, () => env.service.fetchAndUpdateOrderItems())).toBeLessThan(2.5);
        expect(
          await requestsPerItem(env, () => env.service.fetchAndCreateCancellationRequests()),
        ).toBeLessThan(1.5);
      },
    );
  });
});
