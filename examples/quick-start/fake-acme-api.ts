import type { AcmeApi, AcmeOrder } from './acme-api.js';

/** Acme's API in memory: offers orders until they are confirmed, and records pushed statuses. */
export class FakeAcmeApi implements AcmeApi {
  readonly confirmed = new Set<string>();
  readonly pushed: { orderId: string; status: string }[] = [];

  constructor(readonly orders: AcmeOrder[]) {}

  async *newOrders(): AsyncIterable<AcmeOrder> {
    for (const order of this.orders) if (!this.confirmed.has(order.id)) yield order;
  }

  async confirm(orderIds: string[]): Promise<void> {
    for (const id of orderIds) this.confirmed.add(id);
  }

  async pushStatus(updates: { orderId: string; status: string }[]) {
    this.pushed.push(...updates);
    return updates.map((u) => ({ orderId: u.orderId, ok: true }));
  }
}

/** An Acme order that imports cleanly into the default in-memory Omnitron. */
export function acmeOrder(id: string, overrides: Partial<AcmeOrder> = {}): AcmeOrder {
  return {
    id,
    buyer: { email: `${id.toLowerCase()}@example.com`, name: 'Deniz', surname: 'Kaya' },
    address: { city: 'İzmir', town: 'Konak', line: 'Kordon 1' },
    total: '99.90',
    cargo: 'YURTICI',
    placedAt: '2026-11-20T08:00:00Z',
    lines: [{ id: `${id}-1`, sku: 'PROD-2', price: '99.90', qty: 1 }],
    ...overrides,
  };
}
