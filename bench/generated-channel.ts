import {
  ChannelIntegration,
  type ChannelItem,
  type ChannelOrderInput,
  type SendUpdatedOrdersResult,
} from '../src/index.js';
import { DEFAULT_SEED } from '../src/testing/index.js';

const CITIES = Object.entries(DEFAULT_SEED.cities).flatMap(([city, townships]) =>
  Object.keys(townships).map((township) => ({ city, township })),
);

/**
 * A marketplace that makes its orders up as they are read: one-item orders spread over `customers`
 * customers (each with one address), so the benchmark holds no list of orders itself.
 */
export class GeneratedChannel extends ChannelIntegration {
  acknowledged = 0;

  constructor(
    private readonly count: number,
    private readonly customers: number,
  ) {
    super();
  }

  override async *getOrders(): AsyncIterable<ChannelItem<ChannelOrderInput>> {
    for (let i = 0; i < this.count; i += 1) yield { data: generatedOrder(i, i % this.customers) };
  }

  override async acknowledgeOrders({ orders }: { orders: unknown[] }): Promise<void> {
    this.acknowledged += orders.length;
  }

  override async sendUpdatedOrders(): Promise<SendUpdatedOrdersResult> {
    return { status: 'done', results: [] };
  }
}

function generatedOrder(i: number, customer: number): ChannelOrderInput {
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
