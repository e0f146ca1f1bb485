import { describe, expect, it } from 'vitest';
import { customerChanges } from '../../src/dto/customer.js';
import { ChannelConf, ChannelOrder } from '../../src/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';

const paths = (input: unknown) => {
  const parsed = ChannelOrder.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('ChannelOrder', () => {
  it('accepts a built order and fills defaults', () => {
    const parsed = ChannelOrder.parse(buildChannelOrder());
    expect(parsed.items[0]?.quantity).toBe(1);
  });

  it('takes money only as decimal strings', () => {
    expect(paths({ ...buildChannelOrder(), amount: 10.5 })).toEqual(['amount']);
    expect(paths({ ...buildChannelOrder(), amount: '1e3' })).toEqual(['amount']);
    expect(paths({ ...buildChannelOrder(), amount: '-1.00' })).toEqual(['amount']);
    expect(paths({ ...buildChannelOrder(), amount: '10.50' })).toEqual([]);
  });

  it('names nested fields and duplicate line ids', () => {
    const order = buildChannelOrder();
    expect(paths({ ...order, shippingAddress: { ...order.shippingAddress, city: '' } })).toEqual([
      'shippingAddress.city',
    ]);
    expect(paths({ ...order, customer: { firstName: 'A', lastName: 'B' } })).toEqual(['customer.email']);
    const line = { remoteId: 'X', product: 'P', price: '1', taxRate: '0' };
    expect(paths({ ...order, items: [line, line] })).toEqual(['items.1.remoteId']);
  });

  it('accepts a Date for createdAt and keeps it as an ISO string', () => {
    const parsed = ChannelOrder.parse({
      ...buildChannelOrder(),
      createdAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(parsed.createdAt).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('customerChanges', () => {
  const stored = {
    id: 1,
    email: 'a@b.co',
    phoneNumber: '+90',
    firstName: 'A',
    lastName: 'B',
    channelCode: null,
    isActive: true,
  };
  it('changes only fields the marketplace sent that differ', () => {
    expect(customerChanges(stored, { email: 'a@b.co', firstName: 'A', lastName: 'B' })).toEqual({});
    expect(
      customerChanges(stored, { email: 'a@b.co', firstName: 'Ayla', lastName: 'B', phoneNumber: '+91' }),
    ).toEqual({ firstName: 'Ayla', phoneNumber: '+91' });
  });
});

describe('ChannelConf', () => {
  it('reads the order settings of a channel conf, with string values from JSON', () => {
    expect(
      ChannelConf.parse({
        reason_mapping: { iptal: '7' },
        CUSTOMER_IDENTIFIER_FIELD: 'phone_number',
        other: 1,
      }),
    ).toEqual({
      reasonMapping: { iptal: 7 },
      cancellationReasonId: null,
      customerIdentifierField: 'phone_number',
    });
    expect(ChannelConf.safeParse({ CUSTOMER_IDENTIFIER_FIELD: 'fax' }).success).toBe(false);
  });
});
