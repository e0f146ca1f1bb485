import { describe, expect, it } from 'vitest';
import type { BatchRequestObject } from '../../src/dto/batch-request.js';
import { BatchTransitionError, OmnitronValidationError, type OrderCreate } from '../../src/index.js';
import {
  answer,
  type FixtureOmnitron as Double,
  type Exchange,
  exchange,
  FixtureOmnitron,
  loadFixtures,
} from './fixture-server.js';

// The REST adapter against hand-written fixtures (test/fixtures/omnitron/): it must send exactly the
// fixture's method, path, query and body, and accept every answer shape the fixture lists.

const auth = loadFixtures('auth-and-channel');
const batches = loadFixtures('batch-requests');
const orders = loadFixtures('orders');
const cancellations = loadFixtures('cancellation-requests');
const reports = loadFixtures('error-reports');

/** Plays `before` (full answers) and then `ex` with one answer shape; returns the double and the result. */
async function play<T>(
  ex: Exchange,
  shape: string,
  call: (omnitron: ReturnType<Double['adapter']>) => Promise<T>,
  before: Exchange[] = [],
): Promise<{ double: Double; result: T }> {
  const double = new FixtureOmnitron();
  for (const b of before) double.answer(b.request, b.answers[0] ?? answer(b, 'full'));
  double.play(ex, shape);
  const result = await call(double.adapter());
  expect(double.recorded).toEqual([...before.map((b) => b.request), ex.request]);
  return { double, result };
}

const shapes = (ex: Exchange) => ex.answers.filter((a) => a.status < 300).map((a) => a.shape);

describe('contract: login and channel', () => {
  it('logs in with the fixture body and reads the channel in both shapes', async () => {
    const ex = exchange(auth, 'getChannel');
    for (const shape of shapes(ex)) {
      const { double, result } = await play(ex, shape, (o) => o.getChannel());
      expect(double.logins).toEqual([exchange(auth, 'login').request]);
      expect(result).toMatchObject({ id: 7, isActive: true });
    }
  });
});

const committed: BatchRequestObject[] = [
  {
    id: 9001,
    contentType: 'order',
    remoteId: 'MP-1001',
    failedReasonType: null,
    versionDate: '2025-01-01T10:00:01.000Z',
  },
  {
    id: 9101,
    contentType: 'orderitem',
    remoteId: 'MP-1001-1',
    failedReasonType: null,
    versionDate: '2025-01-01T10:00:01.000Z',
  },
];

describe('contract: batch requests', () => {
  it('creates one with an integer channel and accepts full and minimal answers', async () => {
    const ex = exchange(batches, 'create');
    for (const shape of shapes(ex)) {
      const { result } = await play(ex, shape, (o) => o.createBatchRequest('order'));
      expect(result).toMatchObject({ id: 501, status: 'initialized' });
    }
  });

  it('sends each transition as the fixture has it', async () => {
    const cases: [string, Parameters<ReturnType<Double['adapter']>['transitionBatchRequest']>[1]][] = [
      ['commit', { status: 'commit', contentType: 'order', objects: committed }],
      ['sentToRemote', { status: 'sent_to_remote', remoteBatchId: 'JOB-42' }],
      ['ongoing', { status: 'ongoing' }],
      [
        'done',
        {
          status: 'done',
          objects: [
            committed[0] as BatchRequestObject,
            {
              id: 9002,
              contentType: 'order',
              remoteId: null,
              failedReasonType: 'remote',
              versionDate: '2025-01-01T10:00:01.500Z',
            },
          ],
        },
      ],
      ['fail', { status: 'fail', objects: null }],
    ];
    for (const [name, transition] of cases) {
      const ex = exchange(batches, name);
      for (const shape of shapes(ex)) {
        const { result } = await play(ex, shape, (o) => o.transitionBatchRequest(501, transition));
        expect(result.status).toBe(transition.status);
      }
    }
  });

  it('recognises a refused transition in both error shapes (406 error_code string, 400 code list)', async () => {
    const ex = exchange(batches, 'fail');
    for (const shape of ['refused-406-error_code-string', 'refused-400-code-list']) {
      const double = new FixtureOmnitron().play(ex, shape).play(exchange(batches, 'get'), 'done');
      const error = await double
        .adapter()
        .transitionBatchRequest(501, { status: 'fail', objects: null })
        .catch((e: unknown) => e);
      expect(error, shape).toBeInstanceOf(BatchTransitionError);
      expect(error).toMatchObject({ omnitronCode: 'batch_request_status_100_1', from: 'done', to: 'fail' });
      expect(double.recorded).toEqual([ex.request, exchange(batches, 'get').request]);
    }
  });

  it('lists committed batches with the fixture query and reads both shapes', async () => {
    const ex = exchange(batches, 'listCommitted');
    for (const shape of shapes(ex)) {
      const { result } = await play(ex, shape, async (o) => {
        const out = [];
        for await (const b of o.listBatchRequests({ statuses: ['commit'], contentType: 'order' }))
          out.push(b);
        return out;
      });
      expect(result).toEqual([expect.objectContaining({ id: 498, status: 'commit' })]);
    }
  });
});

const orderCreate: OrderCreate = {
  number: 'MP-1001',
  status: '400',
  customer: 301,
  shippingAddress: 401,
  billingAddress: 401,
  cargoCompany: 12,
  currency: 'try',
  amount: '110.00',
  shippingAmount: '10.00',
  shippingTaxRate: '20',
  discountAmount: '0',
  netShippingAmount: '10.00',
  datePlaced: '2025-01-01T09:59:00.000Z',
  hasGiftBox: false,
  giftBoxNote: '',
  notes: '',
  shippingOptionSlug: '',
  languageCode: '',
  clientType: 'default',
  extraField: { id: 'MP-1001' },
  items: [
    {
      product: 8001,
      status: '400',
      price: '100.00',
      retailPrice: '100.00',
      priceCurrency: 'try',
      taxRate: '20',
      discountAmount: '0',
      attributes: {},
      extraField: { id: 'MP-1001-1' },
    },
  ],
};

describe('contract: orders', () => {
  it('creates an order with quantity, unit_price and total_price on every item, and reads both answers', async () => {
    const ex = exchange(orders, 'createOrder');
    for (const shape of shapes(ex)) {
      const { result } = await play(ex, shape, (o) => o.createOrder(orderCreate), [
        exchange(auth, 'getCatalog'),
      ]);
      expect(result).toMatchObject({ id: 9001, number: 'MP-1001', modifiedDate: expect.any(String) });
    }
  });

  it('finds by number, reads by ids, reads the update feed (pk or id)', async () => {
    for (const shape of shapes(exchange(orders, 'findByNumber'))) {
      const { result } = await play(exchange(orders, 'findByNumber'), shape, (o) =>
        o.findOrderByNumber('MP-1001'),
      );
      expect(result?.id ?? null).toBe(shape === 'found' ? 9001 : null);
    }
    const { result: byIds } = await play(exchange(orders, 'getOrders'), 'both-shapes', (o) =>
      o.getOrders([9001, 9002]),
    );
    expect(byIds.map((o) => o.id)).toEqual([9001, 9002]);
    const { result: feed } = await play(exchange(orders, 'updates'), 'full', async (o) => {
      const out = [];
      for await (const order of o.listOrdersAwaitingUpdate({ limit: 100 })) out.push(order);
      return out;
    });
    expect(feed.map((o) => o.status)).toEqual(['500']);
  });

  it('lists, reads and changes order items in both shapes', async () => {
    const { result: items } = await play(exchange(orders, 'listItems'), 'both-shapes', (o) =>
      o.listOrderItems(9001),
    );
    expect(items.map((i) => [i.id, i.price, i.trackingNumber])).toEqual([
      [9101, '100.00', null],
      [9102, '5', null],
    ]);
    for (const shape of shapes(exchange(orders, 'getItem'))) {
      const { result } = await play(exchange(orders, 'getItem'), shape, (o) => o.getOrderItem(9101));
      expect(result).toMatchObject({ id: 9101, extraField: expect.any(Object) });
    }
    const { result: patched } = await play(exchange(orders, 'patchItem'), 'full', (o) =>
      o.updateOrderItem(9101, {
        status: '500',
        trackingNumber: 'TRK-1',
        invoiceNumber: 'INV-1',
        invoiceDate: '2025-01-02T00:00:00.000Z',
      }),
    );
    expect(patched.status).toBe('500');
  });

  it("changes a package's carrier and shipment code with the reference's field names, and reads an answer without the traced fields", async () => {
    // The answer has only the fields of the reference's OrderItem: no tracking_number, no invoice fields.
    const { result } = await play(exchange(orders, 'patchItemPackage'), 'documented-fields-only', (o) =>
      o.updateOrderItem(9102, { shippingCompany: 'aras', shipmentCode: 'AR-77120' }),
    );
    expect(result).toMatchObject({
      id: 9102,
      shippingCompany: 'aras',
      shipmentCode: 'AR-77120',
      trackingNumber: null,
      invoiceNumber: null,
    });
  });

  it('cancels with the fixture body and accepts an empty answer', async () => {
    for (const shape of shapes(exchange(orders, 'cancel'))) {
      await play(exchange(orders, 'cancel'), shape, (o) =>
        o.cancelOrder(9001, { cancelItems: [9101], reasons: { 9101: 2 }, isCargoRefund: false }),
      );
    }
  });

  it('reads cargo companies and product links in both shapes', async () => {
    const { result: cargo } = await play(exchange(orders, 'cargos'), 'both-shapes', (o) =>
      o.getCargoCompanyByCode('ARAS'),
    );
    expect(cargo).toMatchObject({ id: 13, erpCode: 'ARAS', shippingCompany: null });
    const { result: products } = await play(exchange(orders, 'productActions'), 'both-shapes', (o) =>
      o.getProductIds(['SKU-1', 'SKU-2']),
    );
    expect([...products]).toEqual([
      ['SKU-1', 8001],
      ['SKU-2', 8002],
    ]);
  });
});

describe('contract: cancellation requests', () => {
  it('creates one and reads `id` or `pk`, with or without the optional fields', async () => {
    const ex = exchange(cancellations, 'create');
    for (const shape of shapes(ex)) {
      const { result } = await play(ex, shape, (o) =>
        o.createCancellationRequest({
          cancellationType: 'refund',
          description: 'Wrong size',
          orderItem: 9101,
          reason: 2,
          remoteId: 'CR-1',
        }),
      );
      expect(result).toMatchObject({ id: 701, orderItem: 9101, status: 'waiting' });
    }
  });

  it('checks every item of a filtered list and stops paging at the match, as a server may ignore `remote_id`', async () => {
    const ex = exchange(cancellations, 'findByRemoteId');
    // Page 1 of a server that ignored the filter holds another request first: it must not be taken, and
    // page 2 must not be asked for once the match is found.
    const { result } = await play(ex, 'filter-ignored-page-1', (o) =>
      o.findCancellationRequestByRemoteId('CR-1'),
    );
    expect(result?.id).toBe(701);
    const { result: none } = await play(ex, 'none', (o) => o.findCancellationRequestByRemoteId('CR-1'));
    expect(none).toBeNull();
  });

  it('reads the update feed with `id`', async () => {
    const { result } = await play(exchange(cancellations, 'updates'), 'full', async (o) => {
      const out = [];
      for await (const r of o.listCancellationRequestUpdates({ limit: 50 })) out.push(r);
      return out;
    });
    expect(result).toEqual([
      expect.objectContaining({ id: 701, status: 'approved', description: 'Wrong size' }),
    ]);
  });
});

describe('contract: error reports', () => {
  const report = {
    actionContentType: 'order' as const,
    actionObjectId: 9001,
    errorCode: '3f1c2a9e-8a34-4d61-9a3c-5b0f5e2d7c11-CreateOrder-MP-1001',
    errorDescription: 'CreateOrder',
    isOk: false,
    rawRequest: 'POST channel/7/create_orders/',
    rawResponse: 'OMNITRON_VALIDATION: refused',
  };

  it("carries the object's modified date as obj_modified_date, and accepts an answer with or without a body", async () => {
    const ex = exchange(reports, 'create');
    for (const shape of shapes(ex)) {
      await play(
        ex,
        shape,
        (o) => o.createErrorReport({ ...report, modifiedDate: '2025-01-01T10:00:01.000000Z' }),
        [exchange(auth, 'contentTypeOrder'), exchange(auth, 'contentTypeChannel')],
      );
    }
  });

  it('leaves obj_modified_date out when the version is not known, never the current time', async () => {
    await play(
      exchange(reports, 'createWithoutVersion'),
      'with-id',
      (o) =>
        o.createErrorReport({
          actionContentType: 'batchrequest',
          actionObjectId: 501,
          errorCode: '3f1c2a9e-8a34-4d61-9a3c-5b0f5e2d7c11-GetOrders-Flow',
          errorDescription: 'GetOrders',
          isOk: false,
          rawRequest: '',
          rawResponse: 'CHANNEL_ERROR: down',
        }),
      [exchange(auth, 'contentTypeBatchRequest'), exchange(auth, 'contentTypeChannel')],
    );
  });

  it('posts an address-mapping report to its type route', async () => {
    for (const shape of shapes(exchange(reports, 'addressReport'))) {
      await play(exchange(reports, 'addressReport'), shape, (o) =>
        o.createAddressErrorReport({
          type: 'city',
          remoteCode: '7_Atlantis',
          name: 'Atlantis',
          countryId: 1,
          integrationType: 'sales_channel',
          errCode: 'integrations_200_10_2',
          errDesc: 'Address is not valid. code: 7_Atlantis model: city country id: 1',
        }),
      );
    }
  });
});

describe('contract: 400 bodies', () => {
  it('reads field messages given as a string or a list, and never takes `code` for a field', async () => {
    const ex = exchange(orders, 'createOrder');
    for (const body of [
      { non_field_errors: ['Order with this number already exists.'], code: 'invalid' },
      { non_field_errors: 'Order with this number already exists.', error_code: 'invalid' },
    ]) {
      const double = new FixtureOmnitron()
        .play(exchange(auth, 'getCatalog'), 'full')
        .answer(ex.request, { shape: 'refused', status: 400, body })
        .play(exchange(orders, 'findByNumber'), 'none');
      const error = await double
        .adapter()
        .createOrder(orderCreate)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OmnitronValidationError);
      expect((error as OmnitronValidationError).fieldErrors).toEqual({
        non_field_errors: ['Order with this number already exists.'],
      });
    }
  });
});
