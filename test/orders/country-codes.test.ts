import { describe, expect, it } from 'vitest';
import { buildChannelOrder } from '../../src/testing/index.js';
import { failureReports, forEachBackend } from '../support.js';

forEachBackend((setup) => {
  describe('country codes', () => {
    it('matches a country code in any case', async () => {
      const order = buildChannelOrder({
        shippingAddress: { country: 'tr' },
        billingAddress: { country: 'Tr' },
      });
      const { service, store } = await setup({ orders: [order] });

      const result = await service.fetchAndCreateOrder();

      expect(result.items[0]?.status).toBe('created');
      expect(failureReports(store)).toEqual([]);
    });

    it('matches a code Omnitron keeps in lower case against one sent in upper case', async () => {
      const { township: _t, district: _d, ...address } = buildChannelOrder().shippingAddress;
      const cypriot = { ...address, country: 'CY', city: 'Lefkoşa' };
      const order = { ...buildChannelOrder(), shippingAddress: cypriot, billingAddress: cypriot };
      const { service, store } = await setup({ orders: [order] });
      const cyprus = store.addLocation('country', 'Kıbrıs', { code: 'cy' });
      store.addLocation('city', 'Lefkoşa', { parent: cyprus });

      const result = await service.fetchAndCreateOrder();

      expect(result.items[0]?.status).toBe('created');
    });
  });
});
