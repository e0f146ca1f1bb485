import { OrderService } from 'channel-app-sdk';
import { describeChannelIntegration, InMemoryOmnitron } from 'channel-app-sdk/testing';
import { describe, expect, it } from 'vitest';
import { BAD_DEMO_ORDERS, demoMarketplaceData, prepareDemoOmnitron } from './demo-data.js';
import { DemoMarketplaceChannel } from './demo-marketplace-channel.js';
import { minorToDecimal } from './mapping.js';
import { type DemoMarketplace, startDemoMarketplace } from './marketplace-server.js';

const apiKey = 'demo-api-key-0123456789';
let market: DemoMarketplace | undefined;
const current = () => {
  if (!market) throw new Error('the demo marketplace is not running');
  return market;
};

describeChannelIntegration(() => new DemoMarketplaceChannel({ baseUrl: current().url, apiKey }), {
  setup: async () => {
    market = await startDemoMarketplace({ apiKey, ...demoMarketplaceData() });
  },
  teardown: async () => {
    await market?.close();
    market = undefined;
  },
  pendingOrderIds: () =>
    current()
      .state.orders.map((o) => o.id)
      .filter((id) => !current().state.acknowledged.has(id)),
  acknowledgedOrderIds: () => [...current().state.acknowledged],
  invalidOrderIds: ['MP-1009'],
  prepareOmnitron: (omnitron) => prepareDemoOmnitron(omnitron.store),
});

describe('DemoMarketplaceChannel in every flow', () => {
  it('imports, updates, cancels and handles claims end to end', async () => {
    const marketplace = await startDemoMarketplace({ apiKey, ...demoMarketplaceData() });
    try {
      const omnitron = new InMemoryOmnitron();
      prepareDemoOmnitron(omnitron.store);
      const service = new OrderService({
        omnitron,
        channel: new DemoMarketplaceChannel({ baseUrl: marketplace.url, apiKey }),
        secrets: [apiKey],
        isSuccessLog: true,
      });

      const imported = await service.fetchAndCreateOrder();
      expect(imported.counts).toMatchObject({ fetched: 9, created: 6, failed: 3 });
      const failures = Object.fromEntries(
        imported.items.filter((i) => i.error).map((i) => [i.key, i.error?.code]),
      );
      expect(failures).toEqual({
        'DEMO-1007': 'UNKNOWN_LOCATION',
        'DEMO-1008': 'CARGO_COMPANY_NOT_FOUND',
        'DEMO-1009': 'INVALID_PAYLOAD',
      });
      expect([...marketplace.state.acknowledged].sort()).toEqual([
        'MP-1001',
        'MP-1002',
        'MP-1003',
        'MP-1004',
        'MP-1005',
        'MP-1006',
      ]);
      // The demo announces the bad orders from BAD_DEMO_ORDERS, so its order numbers must be the flow's keys
      // and each marketplace id must be the id of the order with that number.
      expect(BAD_DEMO_ORDERS.map((o) => o.orderNumber)).toEqual(Object.keys(failures));
      const orders = demoMarketplaceData().orders ?? [];
      for (const bad of BAD_DEMO_ORDERS)
        expect(orders.find((o) => o.id === bad.marketplaceId)?.orderNumber).toBe(bad.orderNumber);

      for (const order of omnitron.store.orders.values())
        omnitron.store.touchOrder(order.id, { status: '500' });
      const sent = await service.updateOrders({ isSync: false });
      expect(sent.batchRequest?.status).toBe('sent_to_remote');
      expect((await service.getOrderBatchRequests()).batchRequests[0]?.status).toBe('ongoing');
      const finished = await service.getOrderBatchRequests();
      expect(finished.counts).toMatchObject({ updated: 5, failed: 1 });
      expect(marketplace.state.pushedStatuses.every((s) => s.status === 'shipped')).toBe(true);

      const cancels = await service.fetchAndCreateCancel();
      // A cancel is named by its order's number once the order is found; one for an unknown order keeps the
      // marketplace id it gave. Both carry the marketplace id as remoteId.
      expect(cancels.items.map((i) => [i.key, i.remoteId, i.status])).toEqual([
        ['DEMO-1005', 'MP-1005', 'created'],
        ['MP-9999', 'MP-9999', 'failed'],
      ]);
      const lines = await service.fetchAndUpdateOrderItems();
      expect(lines.counts.updated).toBe(2);
      const tracked = [...omnitron.store.orderItems.values()].find((i) => i.extraField.id === 'MP-1002-1');
      expect(tracked).toMatchObject({ status: '500', trackingNumber: 'YK123456789' });

      const claims = await service.fetchAndCreateCancellationRequests();
      expect(claims.counts.created).toBe(2);
      for (const request of omnitron.store.cancellationRequests.values())
        omnitron.store.setCancellationRequestStatus(
          request.id,
          request.cancellationType === 'refund' ? 'approved' : 'rejected',
        );
      await service.updateCancellationRequests();
      expect(Object.fromEntries(marketplace.state.claimDecisions)).toEqual({
        'CLM-1': 'accept',
        'CLM-2': 'reject',
      });

      expect(JSON.stringify(omnitron.store.errorReports)).not.toContain(apiKey);
    } finally {
      await marketplace.close();
    }
  });
});

describe('minorToDecimal', () => {
  it('turns kuruş into a decimal string without rounding, and passes bad values on', () => {
    expect(minorToDecimal(24990)).toBe('249.90');
    expect(minorToDecimal(5)).toBe('0.05');
    expect(minorToDecimal(-150)).toBe('-1.50');
    expect(minorToDecimal(1.5)).toBe(1.5);
    expect(minorToDecimal('12')).toBe('12');
  });
});
