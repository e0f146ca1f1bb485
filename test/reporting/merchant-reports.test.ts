import { describe, expect, it } from 'vitest';
import type { ChannelOrderInput, ErrorReport } from '../../src/index.js';
import { buildCancelOrder, buildChannelOrder } from '../../src/testing/index.js';
import { forEachBackend } from '../support.js';

// What a merchant reads in Sales Channel Logs must be enough to fix the problem: the reason in the list
// (`errorDescription`), and the marketplace data that failed (`rawRequest`), with success logs off.
forEachBackend((setup) => {
  const failures = (reports: readonly ErrorReport[]) => reports.filter((r) => !r.isOk);

  describe('error reports a merchant can act on', () => {
    it('puts the reason in errorDescription and the failing order in rawRequest, without isSuccessLog', async () => {
      const order = buildChannelOrder({ cargoCompany: 'NO-SUCH-CARGO' });
      const { service, store } = await setup({ orders: [order] });

      await service.fetchAndCreateOrder();

      const [report] = failures(store.errorReports);
      expect(report?.errorDescription).toMatch(/^CreateOrder failed: .*NO-SUCH-CARGO/);
      expect(report?.errorDescription.length).toBeLessThanOrEqual(256);
      const sent = JSON.parse(report?.rawRequest.slice(report.rawRequest.indexOf('{')) ?? '{}');
      expect(sent).toMatchObject({
        number: order.number,
        remoteId: order.remoteId,
        cargoCompany: 'NO-SUCH-CARGO',
      });
    });

    it('names the field and the value it refused, and keeps the invalid order in the report', async () => {
      const order = { ...buildChannelOrder(), amount: 12.5 } as unknown as ChannelOrderInput;
      const { service, store } = await setup({ orders: [order] });

      const result = await service.fetchAndCreateOrder();

      expect(result.items[0]?.error?.message).toMatch(/amount: .*expected string.*\(got 12\.5\)/);
      const [report] = failures(store.errorReports);
      expect(report?.errorDescription).toMatch(/^GetOrders failed: .*amount.*12\.5/);
      expect(JSON.parse(report?.rawRequest ?? '{}')).toMatchObject({ number: order.number, amount: 12.5 });
    });

    it('tells an adapter that forgot the { data } wrapper what to yield', async () => {
      const order = buildChannelOrder();
      const { service, channel } = await setup();
      channel.getOrders = async function* () {
        yield order as never;
      };

      const result = await service.fetchAndCreateOrder();

      expect(result.items[0]?.key).toBe(order.number);
      expect(result.items[0]?.error?.message).toContain('yield { data: item }, not the item itself');
    });

    it('suggests the likely mix-up when a cancel names the order by its number', async () => {
      const order = buildChannelOrder();
      const { service, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.cancelledOrders = [{ ...buildCancelOrder(order), order: order.number }];

      const result = await service.fetchAndCreateCancel();

      expect(result.items[0]?.error?.code).toBe('MAPPING_NOT_FOUND');
      expect(result.items[0]?.error?.message).toContain('not by its order number');
    });

    it('names an order the same way in every flow: its number as key, its marketplace id as remoteId', async () => {
      const order = buildChannelOrder();
      const { service, store, channel } = await setup({ orders: [order] });
      const imported = await service.fetchAndCreateOrder();
      for (const stored of store.orders.values()) store.touchOrder(stored.id, { status: '500' });
      const updated = await service.updateOrders();
      channel.script.cancelledOrders = [buildCancelOrder(order)];
      const cancelled = await service.fetchAndCreateCancel();

      for (const result of [imported, updated, cancelled])
        expect(
          result.items.map((i) => [i.key, i.remoteId]),
          result.flow,
        ).toEqual([[order.number, order.remoteId]]);
    });

    it('redacts secrets in the failing data it reports', async () => {
      const secret = 'mkt-api-key-123456';
      const order = buildChannelOrder({
        cargoCompany: 'NO-SUCH-CARGO',
        extraField: { note: `key=${secret}` },
      });
      const { service, store } = await setup({ orders: [order] }, { secrets: [secret] });

      await service.fetchAndCreateOrder();

      const [report] = failures(store.errorReports);
      expect(report?.rawRequest).toContain(order.number);
      expect(JSON.stringify(store.errorReports)).not.toContain(secret);
    });
  });
});
