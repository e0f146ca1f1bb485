// @ts-check
/**
 * The benchmark's marketplace data, made up as it is read so the benchmark holds no list of its own:
 * one-item orders spread over a number of customers (one address each), and per order one cancelled line,
 * one line change and one cancellation request.
 */

/**
 * What the generated orders draw on from the mock's seed. The Omnitron process, which imports the testing
 * entry anyway, sends these to the flow process: the flow process must not import `dist/testing.js`, which
 * loads vitest and chai (about 7 MB of RSS) that no production process has.
 * @typedef {{ places: { city: string, township: string }[], cargoCodes: string[], products: string[] }} SeedLists
 */

/**
 * The lists of a seed (`DEFAULT_SEED` of the testing entry).
 * @param {{ cities: Record<string, Record<string, unknown>>, cargoCompanies: { erpCode: string }[], products: string[] }} seed
 * @returns {SeedLists}
 */
export function seedLists(seed) {
  return {
    places: Object.entries(seed.cities).flatMap(([city, townships]) =>
      Object.keys(townships).map((township) => ({ city, township })),
    ),
    cargoCodes: seed.cargoCompanies.map((c) => c.erpCode),
    products: [...seed.products],
  };
}

/**
 * Order `i`, placed by customer `customer`.
 * @param {number} i
 * @param {number} customer
 * @param {SeedLists} lists
 */
export function generatedOrder(i, customer, lists) {
  const place = lists.places[customer % lists.places.length] ?? { city: 'İstanbul', township: 'Kadıköy' };
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
    cargoCompany: lists.cargoCodes[i % lists.cargoCodes.length] ?? 'ARAS',
    createdAt: '2026-11-20T10:00:00Z',
    items: [
      {
        remoteId: `BENCH-${i}-1`,
        product: lists.products[i % lists.products.length] ?? 'PROD-1',
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

/**
 * A change of order `i`'s only line: a tracking number it did not have.
 * @param {number} i
 */
export function generatedItemUpdate(i) {
  return { remoteId: `BENCH-${i}-1`, trackingNumber: `TRK-${i}` };
}

/**
 * A cancellation request for order `i`'s only line.
 * @param {number} i
 */
export function generatedCancellationRequest(i) {
  return { remoteId: `BENCH-CR-${i}`, orderItem: `BENCH-${i}-1`, reason: 'CUSTOMER_REQUEST' };
}
