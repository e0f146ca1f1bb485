import { InvalidPayloadError, OrderMismatchError, OrderService, RemoteRejectedError } from 'channel-app-sdk';
import { describeChannelIntegration, InMemoryOmnitron } from 'channel-app-sdk/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BazaarAddress, BazaarOrder } from './bazaar-api.js';
import { BazaarMarketChannel } from './bazaar-market-channel.js';
import { FakeBazaarApi } from './fake-bazaar-api.js';
import { kurusToDecimal } from './mapping.js';

const kadikoy: BazaarAddress = {
  firstName: 'Ayşe',
  lastName: 'Yılmaz',
  phone: '+905321234567',
  province: 'İstanbul',
  county: 'Kadıköy',
  neighbourhood: 'Caferağa',
  street: 'Moda Cad. No: 12 D: 4',
  zip: '34710',
};

/** Builds a Bazaar order; totals are in kuruş, as Bazaar sends them. */
function bazaarOrder(id: string, lines: BazaarOrder['lines'], extra: Partial<BazaarOrder> = {}): BazaarOrder {
  const linesTotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  return {
    orderId: id,
    orderNumber: `BZ-${id.slice(4)}`,
    placedAt: '2026-11-20T10:30:00+03:00',
    currency: 'TRY',
    buyer: {
      buyerId: `B-${id}`,
      email: `${id.toLowerCase()}@example.com`,
      firstName: 'Ayşe',
      lastName: 'Yılmaz',
    },
    delivery: kadikoy,
    invoice: null,
    carrier: 'YURTICI',
    totalPrice: linesTotal + 2990,
    shippingFee: 2990,
    discount: 0,
    lines,
    ...extra,
  };
}

const line = (lineId: string, sku: string, quantity: number, unitPrice: number) => ({
  lineId,
  sku,
  quantity,
  unitPrice,
  vatRate: 20,
  status: 'CREATED',
});

/** Three good orders and one whose total is not a whole number of kuruş. */
const ORDERS: readonly BazaarOrder[] = [
  bazaarOrder('ORD-1001', [
    line('ORD-1001-L1', 'BZ-KAHVE', 3, 12990),
    line('ORD-1001-L2', 'BZ-FINCAN', 1, 4950),
  ]),
  bazaarOrder('ORD-1002', [line('ORD-1002-L1', 'BZ-CEZVE', 2, 34900)]),
  bazaarOrder('ORD-1003', [line('ORD-1003-L1', 'BZ-KAHVE', 1, 12990)], {
    invoice: { ...kadikoy, company: 'Yılmaz Tasarım Ltd.', taxOffice: 'Kadıköy', taxNumber: '1234567890' },
  }),
  bazaarOrder('ORD-BAD', [line('ORD-BAD-L1', 'BZ-KAHVE', 1, 12990)], { totalPrice: 15980.5 }),
];

/** The day every test order was placed on, as the window `reconcileOrders` and `listOrders` read. */
const ORDER_DAY = { since: '2026-11-20T00:00:00+03:00', until: '2026-11-21T00:00:00+03:00' };

/** Links Bazaar's SKUs to Omnitron products, as the product sync would. */
function prepareOmnitron(omnitron: InMemoryOmnitron): void {
  for (const sku of ['BZ-KAHVE', 'BZ-FINCAN', 'BZ-CEZVE']) omnitron.store.addProduct({ remoteId: sku });
}

describe('kurusToDecimal', () => {
  it('turns kuruş into a decimal string without a float', () => {
    expect(kurusToDecimal(46910)).toBe('469.10');
    expect(kurusToDecimal(5)).toBe('0.05');
    expect(kurusToDecimal(0)).toBe('0.00');
    expect(kurusToDecimal(-150)).toBe('-1.50');
  });

  it('passes a fractional amount on as an invalid string, for validation to name', () => {
    expect(kurusToDecimal(1.5)).not.toMatch(/^-?\d+(\.\d+)?$/);
  });
});

describe('Bazaar Market through OrderService', () => {
  let api: FakeBazaarApi;
  let omnitron: InMemoryOmnitron;
  let service: OrderService;

  beforeEach(() => {
    api = new FakeBazaarApi(ORDERS);
    omnitron = new InMemoryOmnitron();
    prepareOmnitron(omnitron);
    service = new OrderService({ omnitron, channel: new BazaarMarketChannel(api, { syncPollInterval: 0 }) });
  });

  /** The Omnitron order imported under this number. */
  function omnitronOrder(number: string) {
    const order = [...omnitron.store.orders.values()].find((o) => o.number === number);
    if (!order) throw new Error(`order ${number} is not in Omnitron`);
    return order;
  }

  /** The Omnitron units of one Bazaar line. */
  function unitsOf(lineId: string) {
    return [...omnitron.store.orderItems.values()].filter((item) => item.extraField.id === lineId);
  }

  it('imports every page of orders in lira, one Omnitron item per unit, and acknowledges only those imported', async () => {
    const result = await service.fetchAndCreateOrder();

    expect(api.calls).toContain('GET /orders?cursor=c2'); // the second page was read
    expect(result.counts).toMatchObject({ fetched: 4, created: 3, failed: 1 });
    const bad = result.items.find((item) => item.status === 'failed');
    expect(bad?.error).toBeInstanceOf(InvalidPayloadError);
    expect(bad?.error?.message).toMatch(/amount/);

    expect(omnitronOrder('BZ-1001').amount).toBe('469.10');
    expect(unitsOf('ORD-1001-L1')).toHaveLength(3);
    expect(unitsOf('ORD-1001-L1').map((u) => u.price)).toEqual(['129.90', '129.90', '129.90']);
    expect(unitsOf('ORD-1002-L1')).toHaveLength(2);

    expect(api.acknowledgedOrderIds().sort()).toEqual(['ORD-1001', 'ORD-1002', 'ORD-1003']);
    expect(api.pendingOrderIds()).toEqual(['ORD-BAD']);
    expect((await service.fetchAndCreateOrder()).counts.created).toBe(0);
  });

  it('pushes an order update line by line as a job, and finishes the batch when a poll finds it done', async () => {
    await service.fetchAndCreateOrder();
    for (const unit of unitsOf('ORD-1001-L1')) {
      omnitron.store.updateOrderItem(unit.id, { status: '500', trackingNumber: 'YK-1' });
    }
    omnitron.store.touchOrder(omnitronOrder('BZ-1001').id);
    omnitron.store.touchOrder(omnitronOrder('BZ-1002').id);
    api.refuseUpdatesOf('ORD-1002', 'order is on hold');

    const sent = await service.updateOrders({ isSync: false });
    expect(sent.batchRequest?.status).toBe('sent_to_remote');
    const jobId = sent.batchRequest?.remoteBatchId ?? '';
    expect(api.jobs.get(jobId)?.updates).toEqual([
      { orderId: 'ORD-1001', lineId: 'ORD-1001-L1', status: 'SHIPPED', trackingNumber: 'YK-1' },
      { orderId: 'ORD-1001', lineId: 'ORD-1001-L2', status: 'APPROVED' },
      { orderId: 'ORD-1002', lineId: 'ORD-1002-L1', status: 'APPROVED' },
    ]);

    const firstPoll = await service.getOrderBatchRequests();
    expect(firstPoll.batchRequests.map((b) => b.status)).toEqual(['ongoing']);
    expect(api.line('ORD-1001', 'ORD-1001-L1').status).toBe('CREATED');

    const secondPoll = await service.getOrderBatchRequests();
    expect(secondPoll.batchRequests.map((b) => b.status)).toEqual(['done']);
    const byKey = Object.fromEntries(secondPoll.items.map((item) => [item.key, item]));
    expect(byKey['BZ-1001']?.status).toBe('updated');
    expect(byKey['BZ-1002']?.status).toBe('failed');
    expect(byKey['BZ-1002']?.error).toBeInstanceOf(RemoteRejectedError);
    expect(byKey['BZ-1002']?.error?.message).toMatch(/order is on hold/);
    expect(api.line('ORD-1001', 'ORD-1001-L1').status).toBe('SHIPPED');
  });

  it('polls the job itself when the flow wants the results now', async () => {
    await service.fetchAndCreateOrder();
    omnitron.store.touchOrder(omnitronOrder('BZ-1003').id);

    const result = await service.updateOrders({ isSync: true });

    expect(result.batchRequest?.status).toBe('done');
    expect(result.items.map((item) => [item.key, item.status])).toEqual([['BZ-1003', 'updated']]);
    expect(api.calls.filter((call) => call.startsWith('GET /jobs/'))).toHaveLength(2);
  });

  it('leaves a job still running after its polls to getOrderBatchRequests, even when asked for results now', async () => {
    const channel = new BazaarMarketChannel(api, { syncPolls: 1, syncPollInterval: 0 });
    const impatient = new OrderService({ omnitron, channel });
    await impatient.fetchAndCreateOrder();
    omnitron.store.touchOrder(omnitronOrder('BZ-1003').id);

    const sent = await impatient.updateOrders({ isSync: true });
    expect(sent.batchRequest?.status).toBe('sent_to_remote');
    expect(sent.items.map((item) => [item.key, item.status])).toEqual([['BZ-1003', 'sent']]);

    const polled = await impatient.getOrderBatchRequests();
    expect(polled.batchRequests.map((b) => b.status)).toEqual(['done']);
    expect(polled.items.map((item) => [item.key, item.status])).toEqual([['BZ-1003', 'updated']]);
  });

  it('cancels every unit of the lines Bazaar cancelled, and only those', async () => {
    await service.fetchAndCreateOrder();
    api.cancelLines('ORD-1001', ['ORD-1001-L2'], 'OUT_OF_STOCK');

    const result = await service.fetchAndCreateCancel();

    expect(result.counts.failed).toBe(0);
    expect(unitsOf('ORD-1001-L2').map((u) => u.status)).toEqual(['100']);
    expect(unitsOf('ORD-1001-L1').map((u) => u.status)).toEqual(['400', '400', '400']);
    expect((await service.fetchAndCreateCancel()).counts.failed).toBe(0); // read again: nothing new, no error
    expect(omnitron.store.cancellations).toHaveLength(1);
  });

  it('cancels the units Bazaar cancelled of a line, and no more when the cancellation is read again', async () => {
    await service.fetchAndCreateOrder();
    api.cancelUnits('ORD-1001', 'ORD-1001-L1', 2);

    const first = await service.fetchAndCreateCancel();
    const again = await service.fetchAndCreateCancel();

    expect(first.items.map((i) => i.status)).toEqual(['created']);
    expect(again.items.map((i) => i.status)).toEqual(['already_present']);
    expect(unitsOf('ORD-1001-L1').map((u) => u.status)).toEqual(['100', '100', '400']);
  });

  it('tells Bazaar which cancellations were applied and which failed, and why', async () => {
    await service.fetchAndCreateOrder();
    api.cancelUnits('ORD-1001', 'ORD-1001-L1', 1);
    api.cancelUnits('ORD-1001', 'ORD-1001-L2', 5); // the line has one unit
    const [applied, tooMany] = (await api.listCancellations(null)).cancellations.map((c) => c.cancellationId);

    const result = await service.fetchAndCreateCancel();

    expect(result.counts).toMatchObject({ created: 1, failed: 1 });
    expect(api.cancellationState(applied ?? '')).toEqual({ state: 'APPLIED' });
    expect(api.cancellationState(tooMany ?? '')).toEqual({
      state: 'FAILED',
      reason: expect.stringMatching(/^INVALID_PAYLOAD: .*quantities\.ORD-1001-L2: is 5/),
    });
  });

  it('applies a shipped line with its tracking number to every unit of that line', async () => {
    await service.fetchAndCreateOrder();
    api.shipLine('ORD-1001', 'ORD-1001-L1', 'YK-123');

    const result = await service.fetchAndUpdateOrderItems();

    expect(result.counts).toMatchObject({ fetched: 1, updated: 1, failed: 0 });
    for (const unit of unitsOf('ORD-1001-L1')) {
      expect(unit).toMatchObject({ status: '500', trackingNumber: 'YK-123' });
    }
    expect(unitsOf('ORD-1001-L2')[0]).toMatchObject({ status: '400', trackingNumber: null });
  });

  it('imports an order shipped in two packages with each line carrying its own carrier and tracking number', async () => {
    const twoPackages = bazaarOrder('ORD-2001', [
      line('ORD-2001-L1', 'BZ-KAHVE', 1, 12990),
      { ...line('ORD-2001-L2', 'BZ-CEZVE', 2, 34900), carrier: 'ARAS', trackingNumber: 'AR-77' },
    ]);
    const multi = new OrderService({
      omnitron,
      channel: new BazaarMarketChannel(new FakeBazaarApi([twoPackages]), { syncPollInterval: 0 }),
    });

    expect((await multi.fetchAndCreateOrder()).counts.created).toBe(1);

    // The order's carrier (YURTICI) stays the order's; the second package names Aras as its own.
    expect(omnitron.store.cargoCompanies.get(omnitronOrder('BZ-2001').cargoCompany ?? 0)?.erpCode).toBe(
      'YURTICI',
    );
    expect(unitsOf('ORD-2001-L1')).toMatchObject([{ shippingCompany: null, shipmentCode: null }]);
    expect(unitsOf('ORD-2001-L2')).toMatchObject([
      { shippingCompany: 'aras', shipmentCode: 'AR-77' },
      { shippingCompany: 'aras', shipmentCode: 'AR-77' },
    ]);
  });

  it('moves a line to another carrier when Bazaar says its package went with one', async () => {
    await service.fetchAndCreateOrder();
    api.shipLine('ORD-1001', 'ORD-1001-L2', 'MNG-5', 'MNG');

    await service.fetchAndUpdateOrderItems();

    expect(unitsOf('ORD-1001-L2')).toMatchObject([
      { status: '500', shippingCompany: 'mng', shipmentCode: 'MNG-5' },
    ]);
    expect(unitsOf('ORD-1001-L1').map((u) => u.shippingCompany)).toEqual([null, null, null]);
  });

  it('reconciles a day: imports an order Omnitron never got and sends again a shipment Bazaar never heard of', async () => {
    const lost = bazaarOrder('ORD-1004', [line('ORD-1004-L1', 'BZ-FINCAN', 2, 4950)]);
    api = new FakeBazaarApi([...ORDERS, lost]);
    service = new OrderService({ omnitron, channel: new BazaarMarketChannel(api, { syncPollInterval: 0 }) });
    // Acknowledged by another tool before any import read it: the import never sees it.
    await api.acknowledgeOrders(['ORD-1004']);
    await service.fetchAndCreateOrder();
    // The merchant ships a line in Omnitron while Bazaar is unreachable, so updateOrders never told it.
    for (const unit of unitsOf('ORD-1002-L1'))
      omnitron.store.updateOrderItem(unit.id, { status: '500', trackingNumber: 'YK-42' });

    const result = await service.reconcileOrders(ORDER_DAY);

    expect(api.calls).toContain(
      `GET /orders/search?from=2026-11-19T21:00:00.000Z&to=2026-11-20T21:00:00.000Z&cursor=c2`,
    );
    expect(result.reconciliation).toEqual({ checked: 4, imported: 1, statusResent: 1, unrepairable: 0 });
    expect(omnitronOrder('BZ-1004').amount).toBe('128.90');
    expect(api.line('ORD-1002', 'ORD-1002-L1').status).toBe('SHIPPED');
    // ORD-BAD is invalid on Bazaar's side as well: it fails alone, as in the import.
    expect(result.items.find((i) => i.key === 'BZ-BAD')?.error).toBeInstanceOf(InvalidPayloadError);
  });

  it('reports a line Bazaar cancelled that Omnitron never cancelled, for the merchant to settle', async () => {
    await service.fetchAndCreateOrder();
    api.cancelLines('ORD-1001', ['ORD-1001-L2']);

    const result = await service.reconcileOrders(ORDER_DAY);

    expect(result.reconciliation.unrepairable).toBe(1);
    const mismatch = result.items.find((i) => i.key === 'BZ-1001')?.error;
    expect(mismatch).toBeInstanceOf(OrderMismatchError);
    expect(mismatch?.message).toMatch(
      /BZ-1001 .*line ORD-1001-L2 \(1 of 1 units\): marketplace 100 \(cancelled\), Omnitron 400 \(approved\)/,
    );
  });

  it('imports a return of 2 of 3 units as one request per unit, and tells Bazaar the decision on each', async () => {
    await service.fetchAndCreateOrder();
    api.shipLine('ORD-1001', 'ORD-1001-L1', 'YK-123');
    await service.fetchAndUpdateOrderItems();
    const returnId = api.openReturn({
      orderId: 'ORD-1001',
      lineId: 'ORD-1001-L1',
      quantity: 2,
      reasonCode: 'DAMAGED',
      customerNote: 'Two bags were torn.',
    });

    const imported = await service.fetchAndCreateCancellationRequests();

    expect(imported.counts.failed).toBe(0);
    const requests = [...omnitron.store.cancellationRequests.values()];
    expect(requests.map((r) => r.remoteId).sort()).toEqual([`${returnId}|unit:1/2`, `${returnId}|unit:2/2`]);
    const lineUnits = new Set(unitsOf('ORD-1001-L1').map((u) => u.id));
    expect(requests.every((r) => lineUnits.has(r.orderItem) && r.cancellationType === 'refund')).toBe(true);
    expect(new Set(requests.map((r) => r.orderItem)).size).toBe(2);
    expect((await service.fetchAndCreateCancellationRequests()).counts.created).toBe(0);

    for (const request of requests) omnitron.store.setCancellationRequestStatus(request.id, 'approved');
    const updated = await service.updateCancellationRequests();

    expect(updated.counts.failed).toBe(0);
    expect(api.decisions).toEqual([
      { returnId, decision: 'ACCEPT', unit: 1, of: 2 },
      { returnId, decision: 'ACCEPT', unit: 2, of: 2 },
    ]);
  });
});

const conformanceApi = new FakeBazaarApi(ORDERS);

describeChannelIntegration(() => new BazaarMarketChannel(conformanceApi, { syncPollInterval: 0 }), {
  title: 'BazaarMarketChannel conformance',
  setup: () => conformanceApi.reset(),
  pendingOrderIds: () => conformanceApi.pendingOrderIds(),
  acknowledgedOrderIds: () => conformanceApi.acknowledgedOrderIds(),
  invalidOrderIds: ['ORD-BAD'],
  prepareOmnitron,
  listWindow: { since: new Date(ORDER_DAY.since), until: new Date(ORDER_DAY.until) },
  streams: {
    getCancelledOrders: () => [conformanceApi.cancelLines('ORD-1002', ['ORD-1002-L1'])],
    getUpdatedOrderItems: () => [conformanceApi.shipLine('ORD-1001', 'ORD-1001-L2', 'YK-9')],
    getCancellationRequests: () => [
      conformanceApi.openReturn({
        orderId: 'ORD-1001',
        lineId: 'ORD-1001-L1',
        quantity: 2,
        reasonCode: 'DAMAGED',
      }),
    ],
  },
});
