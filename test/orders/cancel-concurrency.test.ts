import { describe, expect, it } from 'vitest';
import type { CancelOrderInput, ChannelOrderInput, FlowResult } from '../../src/index.js';
import { buildChannelOrder, type OmnitronStore, type ScriptedChannel } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';
import { streamFingerprint } from './stream-fingerprint.js';

/** Twelve orders, each with a line of three units (`<n>-A`) and a line of one (`<n>-B`). */
function twelveOrders(): ChannelOrderInput[] {
  return Array.from({ length: 12 }, (_, i) =>
    buildChannelOrder({
      remoteId: `R${i}`,
      number: `N${i}`,
      items: [
        { remoteId: `${i}-A`, product: 'PROD-1', price: '5', taxRate: '20', quantity: 3 },
        { remoteId: `${i}-B`, product: 'PROD-2', price: '5', taxRate: '20' },
      ],
    }),
  );
}

/**
 * Seventy cancels over the twelve orders, more than one chunk, several per order in a row: partial ones,
 * whole lines, repeats, ones over the quantity left, unknown orders, invalid ones and unmapped reasons.
 */
function mixedCancels(): unknown[] {
  const cancels: unknown[] = [];
  for (let j = 0; j < 70; j += 1) {
    const order = `R${j % 12}`;
    const a = `${j % 12}-A`;
    const b = `${j % 12}-B`;
    const kinds: Record<number, () => unknown> = {
      0: (): CancelOrderInput => ({ remoteId: `C${j}`, order, cancelItems: [a], quantities: { [a]: 1 } }),
      1: (): CancelOrderInput => ({ order, cancelItems: [b] }),
      2: () => cancels[j - 2],
      3: (): CancelOrderInput => ({ order: 'NEVER-IMPORTED', cancelItems: ['X'] }),
      4: () => ({ order, cancelItems: [] }),
      5: (): CancelOrderInput => ({ remoteId: `C${j}`, order, cancelItems: [a], quantities: { [a]: 2 } }),
      6: (): CancelOrderInput => ({ order, cancelItems: [a, b], reasons: { [a]: 'WEATHER' } }),
    };
    cancels.push((kinds[j % 7] as () => unknown)());
  }
  return cancels;
}

/** What must not depend on timing: {@link streamFingerprint}, every unit's state, and the batch's objects. */
function fingerprint(result: FlowResult, store: OmnitronStore, channel: ScriptedChannel) {
  const batch = store.batchRequests.get(result.batchRequest?.id ?? 0);
  return {
    ...streamFingerprint(result, store, channel),
    units: [...store.orders.values()]
      .flatMap((o) =>
        store
          .listOrderItems(o.id)
          .map((u) => [o.number, u.extraField.id, u.status, u.extraField.channel_app_cancel ?? null]),
      )
      .sort(),
    cancelledUnits: store.cancellations.reduce((n, c) => n + c.request.cancelItems.length, 0),
    batch: [batch?.status, (batch?.objects ?? []).map((o) => [o.contentType, o.remoteId]).sort()],
  };
}

forEachBackend((setup) => {
  describe('cancel concurrency', () => {
    it('gives the same outcomes, units, reports and acknowledgements at concurrency 1 and 8', async () => {
      const runAt = async (concurrency: number) => {
        const env = await setup({ orders: twelveOrders() });
        await env.service.fetchAndCreateOrder();
        env.channel.script.cancelledOrders = mixedCancels();
        const result = await env.service.fetchAndCreateCancel({ concurrency, isSuccessLog: true });
        return { result, print: fingerprint(result, env.store, env.channel) };
      };
      const one = await runAt(1);
      const eight = await runAt(8);

      expect(eight.print).toEqual(one.print);
      // The mix is what it says: each kind of outcome is there.
      const statuses = one.result.items.map((i) => i.error?.code ?? i.status);
      for (const status of ['created', 'already_present', 'MAPPING_NOT_FOUND', 'INVALID_PAYLOAD'])
        expect(statuses, status).toContain(status);
      expect(one.result.counts.fetched).toBe(70);
      expect(one.print.batch[0]).toBe('done');
    });
  });
});
