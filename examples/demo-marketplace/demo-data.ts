import type { OmnitronStore } from 'channel-app-sdk/testing';
import type { MarketAddress, MarketOrder } from './marketplace-api.js';
import type { DemoMarketplaceOptions } from './marketplace-server.js';

/** The marketplace's product codes, mapped to Omnitron products by `prepareDemoOmnitron`. */
export const DEMO_SKUS = ['TSHIRT-RED-M', 'TSHIRT-BLUE-L', 'MUG-WHITE', 'POSTER-A2'] as const;

/**
 * The demo orders that are bad on purpose, and why. Each names both ids: flow results key an order by its
 * order number (`FlowResult.items[].key`), while the marketplace's API and the Omnitron mapping use its id.
 */
export const BAD_DEMO_ORDERS: readonly { orderNumber: string; marketplaceId: string; why: string }[] = [
  { orderNumber: 'DEMO-1007', marketplaceId: 'MP-1007', why: 'ships to a city Omnitron does not know' },
  { orderNumber: 'DEMO-1008', marketplaceId: 'MP-1008', why: 'names a cargo company Omnitron does not have' },
  {
    orderNumber: 'DEMO-1009',
    marketplaceId: 'MP-1009',
    why: 'has a total that is not a whole number of kuruş (malformed)',
  },
];

const address = (
  fullName: string,
  city: string,
  district: string,
  neighbourhood?: string,
): MarketAddress => ({
  fullName,
  country: 'TR',
  city,
  district,
  ...(neighbourhood ? { neighbourhood } : {}),
  street: 'Cumhuriyet Caddesi 10',
  zip: '34000',
});

function order(n: number, overrides: Partial<MarketOrder> = {}): MarketOrder {
  const id = `MP-${1000 + n}`;
  return {
    id,
    orderNumber: `DEMO-${1000 + n}`,
    createdAt: `2026-11-2${n % 3}T0${n % 9}:15:00Z`,
    buyer: {
      email: `buyer${n}@example.com`,
      firstName: 'Elif',
      lastName: `Demir${n}`,
      phone: `+90555000${1000 + n}`,
    },
    delivery: address(`Elif Demir${n}`, 'İstanbul', 'Kadıköy', 'Caferağa'),
    totals: { grandTotal: 24990, shipping: 0 },
    currency: 'TRY',
    carrier: 'ARAS',
    lines: [{ lineId: `${id}-1`, sku: 'TSHIRT-RED-M', quantity: 1, unitPrice: 24990, vatRate: 20 }],
    ...overrides,
  };
}

/** The demo marketplace's contents: good orders, bad ones, and what happens to them afterwards. */
export function demoMarketplaceData(): Omit<DemoMarketplaceOptions, 'apiKey'> {
  const orders = [
    order(1),
    order(2, { delivery: address('Can Yıldız', 'Ankara', 'Çankaya', 'Kızılay'), carrier: 'YURTICI' }),
    order(3, {
      delivery: address('Deniz Kaya', 'İzmir', 'Konak', 'Alsancak'),
      lines: [{ lineId: 'MP-1003-1', sku: 'MUG-WHITE', quantity: 2, unitPrice: 8950, vatRate: 20 }],
      totals: { grandTotal: 17900, shipping: 0 },
    }),
    order(4, {
      invoice: address('Kaya Ltd', 'İstanbul', 'Beşiktaş', 'Levent'),
      lines: [{ lineId: 'MP-1004-1', sku: 'POSTER-A2', quantity: 1, unitPrice: 12900, vatRate: 20 }],
      totals: { grandTotal: 12900, shipping: 0 },
    }),
    order(5, {
      lines: [
        { lineId: 'MP-1005-1', sku: 'TSHIRT-BLUE-L', quantity: 1, unitPrice: 24990, vatRate: 20 },
        { lineId: 'MP-1005-2', sku: 'MUG-WHITE', quantity: 1, unitPrice: 8950, vatRate: 20 },
      ],
      totals: { grandTotal: 33940, shipping: 0 },
    }),
    order(6, { carrier: 'MNG' }),
    order(7, { delivery: address('Ali Veli', 'Atlantis', 'Merkez') }),
    order(8, { carrier: 'CARRIER-PIGEON' }),
    order(9, { totals: { grandTotal: 24990.5, shipping: 0 } }),
  ];
  return {
    orders,
    cancellations: [
      { orderId: 'MP-1005', lineIds: ['MP-1005-2'], reasonCode: 'OUT_OF_STOCK' },
      { orderId: 'MP-9999', lineIds: ['MP-9999-1'], reasonCode: 'CUSTOMER_REQUEST' },
    ],
    lineUpdates: [
      { lineId: 'MP-1002-1', orderId: 'MP-1002', status: 'shipped', trackingNumber: 'YK123456789' },
      {
        lineId: 'MP-1001-1',
        orderId: 'MP-1001',
        status: 'invoiced',
        invoiceNumber: 'INV-2026-0001',
        invoiceDate: '2026-11-21T12:00:00Z',
      },
    ],
    claims: [
      { claimId: 'CLM-1', lineId: 'MP-1004-1', reasonCode: 'DAMAGED', note: 'Arrived torn', kind: 'return' },
      {
        claimId: 'CLM-2',
        lineId: 'MP-1006-1',
        reasonCode: 'CUSTOMER_REQUEST',
        note: 'Ordered twice',
        kind: 'cancel',
      },
    ],
    statusMode: 'async',
    jobPolls: 1,
    refuseStatusFor: ['MP-1006'],
  };
}

/** Maps the demo marketplace's product codes in an Omnitron store (the default seed has the geography and cargo). */
export function prepareDemoOmnitron(store: OmnitronStore): void {
  for (const sku of DEMO_SKUS) store.addProduct({ remoteId: sku, sku });
}
