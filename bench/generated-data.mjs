// @ts-check
/**
 * The benchmark's marketplace data, made up as it is read so the benchmark holds no list of its own:
 * one-item orders spread over a number of customers (one address each), and one cancelled line per order.
 */
import { DEFAULT_SEED } from '../dist/testing.js';

const CITIES = Object.entries(DEFAULT_SEED.cities).flatMap(([city, townships]) =>
  Object.keys(townships).map((township) => ({ city, township })),
);

/**
 * Order `i`, placed by customer `customer`.
 * @param {number} i
 * @param {number} customer
 */
export function generatedOrder(i, customer) {
  const place = CITIES[customer % CITIES.length] ?? { city: 'İstanbul', township: 'Kadıköy' };
  const address = {
    firstName: 'Bench',
    lastName: `Customer${customer}`,
    country: 'Türkiye',
    city: place.city,
    township: place.township,
    line: `Street ${customer}`,
  };
  return {
    remoteId: `BENCH-${i}`,
    number: `BENCH-${i}`,
    customer: { email: `bench${customer}@example.com`, firstName: 'Bench', lastName: `Customer${customer}` },
    shippingAddress: address,
    billingAddress: address,
    currency: 'TRY',
    amount: '100.00',
    shippingAmount: '0.00',
    shippingTaxRate: '20',
    cargoCompany: DEFAULT_SEED.cargoCompanies[i % DEFAULT_SEED.cargoCompanies.length]?.erpCode ?? 'ARAS',
    createdAt: '2026-11-20T10:00:00Z',
    items: [
      {
        remoteId: `BENCH-${i}-1`,
        product: DEFAULT_SEED.products[i % DEFAULT_SEED.products.length] ?? 'PROD-1',
        price: '100.00',
        taxRate: '20',
      },
    ],
  };
}

/**
 * The cancellation of order `i`'s only line.
 * @param {number} i
 */
export function generatedCancel(i) {
  const line = `BENCH-${i}-1`;
  return { order: `BENCH-${i}`, cancelItems: [line], reasons: { [line]: 'CUSTOMER_REQUEST' } };
}
