import { describe, expect, it } from 'vitest';
import { CargoCompanyNotFoundError } from '../../src/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';
import { errorOf, failureReports, forEachBackend } from '../support.js';

// An order shipped in two packages by two cargo companies: each line keeps its own carrier and code.
const twoPackages = () =>
  buildChannelOrder({
    cargoCompany: 'ARAS',
    items: [
      { remoteId: 'P1', product: 'PROD-1', price: '50.00', taxRate: '20', trackingNumber: 'ARAS-111' },
      {
        remoteId: 'P2',
        product: 'PROD-2',
        price: '100.00',
        taxRate: '20',
        quantity: 2,
        cargoCompany: 'YURTICI',
        shipmentCode: 'YK-222',
      },
      { remoteId: 'P3', product: 'PROD-3', price: '0.00', taxRate: '20' },
    ],
  });

forEachBackend((setup) => {
  describe('a carrier and shipment code per order line', () => {
    it('imports each line with its own carrier, mapped like the order cargo company, and its shipment code', async () => {
      const order = twoPackages();
      const { service, store } = await setup({ orders: [order] });

      const result = await service.fetchAndCreateOrder();

      expect(result.counts.created).toBe(1);
      const units = store.listOrderItems(store.findOrderByNumber(order.number)?.id ?? 0);
      const byLine = (line: string) => units.filter((u) => u.extraField.id === line);
      // The first package names no carrier of its own: the order's applies; its tracking number is its code.
      expect(byLine('P1')).toMatchObject([{ shippingCompany: null, shipmentCode: 'ARAS-111' }]);
      // YURTICI is the erp code; Omnitron's items name the carrier by the company's shipping company.
      expect(byLine('P2')).toMatchObject([
        { shippingCompany: 'yurtici', shipmentCode: 'YK-222' },
        { shippingCompany: 'yurtici', shipmentCode: 'YK-222' },
      ]);
      expect(byLine('P3')).toMatchObject([{ shippingCompany: null, shipmentCode: null }]);
    });

    it('fails an order whose line names an unknown carrier, with a report naming the line, and imports the others', async () => {
      const bad = buildChannelOrder({
        items: [{ remoteId: 'X1', product: 'PROD-1', price: '1', taxRate: '0', cargoCompany: 'PIGEON' }],
      });
      const good = twoPackages();
      const { service, store } = await setup({ orders: [bad, good] });

      const result = await service.fetchAndCreateOrder();

      expect(result.items.map((i) => i.status)).toEqual(['failed', 'created']);
      const error = errorOf(result.items[0], CargoCompanyNotFoundError);
      expect(error).toMatchObject({ code: 'CARGO_COMPANY_NOT_FOUND', cargoCode: 'PIGEON', line: 'X1' });
      expect(error.message).toContain('order line "X1"');
      expect(store.findOrderByNumber(bad.number)).toBeNull();
      const reports = failureReports(store);
      expect(reports).toHaveLength(1);
      expect(reports[0]?.errorCode).toContain(`CreateOrder-${bad.number}`);
      expect(reports[0]?.errorDescription).toContain('PIGEON');
      expect(reports[0]?.errorDescription).toContain('X1');
    });

    it('refuses a line carrier whose Omnitron cargo company has no shipping company, saying what to set', async () => {
      const order = buildChannelOrder({
        items: [{ remoteId: 'L1', product: 'PROD-1', price: '1', taxRate: '0', cargoCompany: 'LOCAL' }],
      });
      const { service, store } = await setup({ orders: [order] });
      store.addCargoCompany({ name: 'Local courier', erpCode: 'LOCAL' });

      const result = await service.fetchAndCreateOrder();

      const error = errorOf(result.items[0], CargoCompanyNotFoundError);
      expect(error.message).toMatch(/has no shipping company in Omnitron/);
      expect(error.line).toBe('L1');
    });

    it('changes a line carrier and shipment code on the line-update flow, and fails an unknown carrier alone', async () => {
      const order = twoPackages();
      const { service, store, channel } = await setup({ orders: [order] });
      await service.fetchAndCreateOrder();
      channel.script.updatedOrderItems = [
        { remoteId: 'P1', cargoCompany: 'MNG', shipmentCode: 'MNG-9' },
        { remoteId: 'P3', cargoCompany: 'PIGEON' },
        { remoteId: 'P2', trackingNumber: 'YK-333' },
      ];

      const result = await service.fetchAndUpdateOrderItems();

      expect(result.items.map((i) => i.status)).toEqual(['updated', 'failed', 'updated']);
      expect(errorOf(result.items[1], CargoCompanyNotFoundError)).toMatchObject({
        cargoCode: 'PIGEON',
        line: 'P3',
      });
      const units = store.listOrderItems(store.findOrderByNumber(order.number)?.id ?? 0);
      const byLine = (line: string) => units.filter((u) => u.extraField.id === line);
      expect(byLine('P1')).toMatchObject([{ shippingCompany: 'mng', shipmentCode: 'MNG-9' }]);
      expect(byLine('P3')).toMatchObject([{ shippingCompany: null }]);
      // A tracking number without a shipment code of its own is the package's shipment code, as on import.
      expect(byLine('P2')).toMatchObject([
        { shippingCompany: 'yurtici', trackingNumber: 'YK-333', shipmentCode: 'YK-333' },
        { shippingCompany: 'yurtici', trackingNumber: 'YK-333', shipmentCode: 'YK-333' },
      ]);

      channel.script.updatedOrderItems = [
        { remoteId: 'P1', cargoCompany: 'MNG', shipmentCode: 'MNG-9' },
        { remoteId: 'P2', cargoCompany: null },
      ];
      const again = await service.fetchAndUpdateOrderItems();
      expect(again.items.map((i) => i.status)).toEqual(['unchanged', 'updated']);
      expect(byLine('P2').length).toBe(2);
      const cleared = store.listOrderItems(store.findOrderByNumber(order.number)?.id ?? 0);
      expect(cleared.filter((u) => u.extraField.id === 'P2').map((u) => u.shippingCompany)).toEqual([
        null,
        null,
      ]);
    });
  });
});
