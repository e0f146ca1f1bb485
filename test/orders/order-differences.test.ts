import { describe, expect, it } from 'vitest';
import { ChannelOrder, type Order, type OrderItem } from '../../src/index.js';
import { compareOrder } from '../../src/orders/reconcile/order-differences.js';
import { buildChannelOrder } from '../../src/testing/index.js';

// Omnitron's side written out literally, as its API would answer: amounts as strings, one item per unit.
const stored: Order = {
  id: 41,
  number: 'MP-1',
  status: '400',
  customer: 7,
  amount: '150',
  currency: 'try',
  cargoCompany: 3,
  extraField: { id: 'R-1' },
  modifiedDate: '2026-11-20T10:00:00Z',
};
const unit = (id: number, line: string, status = '400', price = '50.00'): OrderItem => ({
  id,
  order: 41,
  product: 8,
  status,
  price,
  invoiceNumber: null,
  invoiceDate: null,
  trackingNumber: null,
  extraField: { id: line },
  modifiedDate: '2026-11-20T10:00:00Z',
});
const listed = (status?: string, lineStatus?: string) =>
  ChannelOrder.parse(
    buildChannelOrder({
      remoteId: 'R-1',
      number: 'MP-1',
      amount: '150.00',
      ...(status ? { status } : {}),
      items: [
        {
          remoteId: 'L1',
          product: 'PROD-1',
          price: '50',
          taxRate: '20',
          quantity: 3,
          ...(lineStatus ? { status: lineStatus } : {}),
        },
      ],
    }),
  );
const units = [unit(1, 'L1'), unit(2, 'L1'), unit(3, 'L1')];

describe('compareOrder', () => {
  it('finds nothing when amounts match as numbers and no status is given', () => {
    expect(compareOrder(listed(), stored, units)).toEqual({ marketplaceBehind: [], unrepairable: [] });
  });

  it('files a later Omnitron status, or a cancel the marketplace does not show, as the marketplace being behind', () => {
    expect(compareOrder(listed('400'), { ...stored, status: '500' }, units).marketplaceBehind).toEqual([
      'order status: marketplace 400 (approved), Omnitron 500 (shipped)',
    ]);
    const oneCancelled = [unit(1, 'L1', '100'), unit(2, 'L1'), unit(3, 'L1')];
    expect(compareOrder(listed(undefined, '400'), stored, oneCancelled)).toEqual({
      marketplaceBehind: ['line L1 (1 of 3 units): marketplace 400 (approved), Omnitron 100 (cancelled)'],
      unrepairable: [],
    });
  });

  it('files a marketplace ahead of Omnitron, a cancel only it has, or codes it cannot order as unrepairable', () => {
    const ahead = compareOrder(listed('550'), { ...stored, status: '500' }, units);
    expect(ahead.marketplaceBehind).toEqual([]);
    expect(ahead.unrepairable[0]).toMatch(
      /^order status: marketplace 550 \(delivered\), Omnitron 500 \(shipped\) \(Omnitron missed/,
    );
    expect(compareOrder(listed(undefined, '100'), stored, units).unrepairable).toHaveLength(1);
    expect(compareOrder(listed('shipped'), stored, units).unrepairable).toHaveLength(1);
  });

  it('names lines missing on either side, other quantities and prices, and another order holding the number', () => {
    const found = compareOrder(listed(), { ...stored, extraField: { id: 'R-9' } }, [
      unit(1, 'L1', '400', '45.00'),
      unit(2, 'L1'),
      unit(9, 'L9'),
    ]);
    expect(found.unrepairable).toEqual([
      "number: Omnitron's order MP-1 belongs to marketplace order R-9, not R-1",
      'line L1: quantity 3 on the marketplace, 2 in Omnitron',
      'line L1: unit price marketplace 50, Omnitron 45.00',
      'line L9: 1 unit(s) in Omnitron that the marketplace does not list',
    ]);
  });
});
