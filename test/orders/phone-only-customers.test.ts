import { describe, expect, it } from 'vitest';
import { buildChannelOrder } from '../../src/testing/index.js';
import { failureReports, forEachBackend } from '../support.js';

forEachBackend((setup) => {
  describe('customers matched by phone number', () => {
    const phoneOnly = () => {
      const order = buildChannelOrder();
      const { email: _email, ...customer } = order.customer;
      return { ...order, customer: { ...customer, phoneNumber: '+905551112233' } };
    };

    it('names the channel setting and its value when a customer lacks the field it matches by', async () => {
      const order = phoneOnly();
      const { service, store } = await setup({ orders: [order] });

      const result = await service.fetchAndCreateOrder();

      expect(result.items[0]?.status).toBe('failed');
      const message = result.items[0]?.error?.message ?? '';
      expect(message).toContain('CUSTOMER_IDENTIFIER_FIELD is "email"');
      expect(message).toContain('"phone_number"');
      expect(failureReports(store)[0]?.errorDescription).toContain('CUSTOMER_IDENTIFIER_FIELD');
    });

    it('imports phone-only customers once the channel matches by phone_number', async () => {
      const first = phoneOnly();
      const second = phoneOnly();
      const { service, store } = await setup({ orders: [first, second] });
      store.channel.conf = { ...store.channel.conf, CUSTOMER_IDENTIFIER_FIELD: 'phone_number' };

      const result = await service.fetchAndCreateOrder();

      expect(result.items.map((i) => i.status)).toEqual(['created', 'created']);
      // One customer: both orders were matched by the phone number.
      expect(store.customers.size).toBe(1);
    });
  });
});
