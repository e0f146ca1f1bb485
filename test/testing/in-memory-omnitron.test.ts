import { describe, expect, it } from 'vitest';
import {
  BatchTransitionError,
  DuplicateOrderError,
  OmnitronError,
  OmnitronValidationError,
  OrderService,
  UnknownLocationError,
} from '../../src/index.js';
import {
  buildChannelAddress,
  buildChannelOrder,
  InMemoryOmnitron,
  normalizeName,
  OmnitronStore,
  ScriptedChannel,
} from '../../src/testing/index.js';

const object = (id: number, remoteId: string | null = `R${id}`) => ({
  id,
  contentType: 'order' as const,
  remoteId,
  failedReasonType: null,
  versionDate: null,
});

describe('InMemoryOmnitron batch requests', () => {
  it('refuses transitions the state machine does not allow, with Omnitron code batch_request_status_100_1', async () => {
    const omnitron = new InMemoryOmnitron();
    const batch = await omnitron.createBatchRequest('order');
    await omnitron.transitionBatchRequest(batch.id, { status: 'done', objects: [] });
    const error = await omnitron
      .transitionBatchRequest(batch.id, { status: 'commit', contentType: 'order', objects: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchTransitionError);
    expect(error).toMatchObject({ from: 'done', to: 'commit', omnitronCode: 'batch_request_status_100_1' });
    const fresh = await omnitron.createBatchRequest('order');
    await expect(omnitron.transitionBatchRequest(fresh.id, { status: 'ongoing' })).rejects.toBeInstanceOf(
      BatchTransitionError,
    );
  });

  it('lets one batch per content type hold the commit lock', async () => {
    const omnitron = new InMemoryOmnitron();
    const first = await omnitron.createBatchRequest('order');
    const second = await omnitron.createBatchRequest('order');
    const other = await omnitron.createBatchRequest('cancellationrequest');
    await omnitron.transitionBatchRequest(first.id, {
      status: 'commit',
      contentType: 'order',
      objects: [object(1)],
    });
    await expect(
      omnitron.transitionBatchRequest(second.id, { status: 'commit', contentType: 'order', objects: [] }),
    ).rejects.toThrow(/holds the commit lock/);
    await omnitron.transitionBatchRequest(other.id, {
      status: 'commit',
      contentType: 'cancellationrequest',
      objects: [],
    });
    await omnitron.transitionBatchRequest(first.id, { status: 'done', objects: [] });
    await omnitron.transitionBatchRequest(second.id, { status: 'commit', contentType: 'order', objects: [] });
  });

  it('links objects to their remote ids only when the batch reaches done, and only successful ones', async () => {
    const omnitron = new InMemoryOmnitron();
    const batch = await omnitron.createBatchRequest('order');
    await omnitron.transitionBatchRequest(batch.id, {
      status: 'commit',
      contentType: 'order',
      objects: [object(100), object(101)],
    });
    expect(omnitron.store.listIntegrationActions({ contentType: 'order', objectIds: [100, 101] })).toEqual(
      [],
    );
    await omnitron.transitionBatchRequest(batch.id, {
      status: 'done',
      objects: [{ ...object(101), failedReasonType: 'remote' }],
    });
    const links = omnitron.store.listIntegrationActions({ contentType: 'order', objectIds: [100, 101] });
    expect(links.map((l) => [l.objectId, l.remoteId, l.localBatchId])).toEqual([
      [100, 'R100', batch.localBatchId],
    ]);
  });

  it('creates no links for a failed batch', async () => {
    const omnitron = new InMemoryOmnitron();
    const batch = await omnitron.createBatchRequest('order');
    await omnitron.transitionBatchRequest(batch.id, {
      status: 'commit',
      contentType: 'order',
      objects: [object(7)],
    });
    await omnitron.transitionBatchRequest(batch.id, { status: 'fail', objects: null });
    expect(omnitron.store.listIntegrationActions({ contentType: 'order', objectIds: [7] })).toEqual([]);
  });
});

describe('InMemoryOmnitron data rules', () => {
  it('resolves geography by name in any case, by ISO code, and rejects the unknown with its level', async () => {
    const omnitron = new InMemoryOmnitron();
    const customer = await omnitron.getOrCreateCustomer(
      { email: 'a@b.co', firstName: 'A', lastName: 'B' },
      'email',
    );
    const address = await omnitron.getOrCreateAddress(
      customer,
      buildChannelAddress({ country: 'tr', city: 'ISTANBUL', township: 'kadıköy', district: 'MODA' }),
    );
    expect(address.township).not.toBeNull();
    expect(address.district).not.toBeNull();
    await expect(
      omnitron.getOrCreateAddress(customer, buildChannelAddress({ township: 'Çankaya' })),
    ).rejects.toMatchObject({ kind: 'township', value: 'Çankaya' });
    const unknown = await omnitron
      .getOrCreateAddress(customer, buildChannelAddress({ country: 'Narnia' }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownLocationError);
    expect(unknown).toMatchObject({ kind: 'country', remoteCode: '1_Narnia' });
  });

  it('stores the same address once per customer', async () => {
    const omnitron = new InMemoryOmnitron();
    const customer = await omnitron.getOrCreateCustomer(
      { email: 'a@b.co', firstName: 'A', lastName: 'B' },
      'email',
    );
    const a = await omnitron.getOrCreateAddress(customer, buildChannelAddress());
    const b = await omnitron.getOrCreateAddress(customer, buildChannelAddress({ line: '  moda caddesi 1 ' }));
    const c = await omnitron.getOrCreateAddress(customer, buildChannelAddress({ line: 'Bağdat Caddesi 5' }));
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('matches customers by the configured field and never wipes a field the marketplace left out', async () => {
    const omnitron = new InMemoryOmnitron();
    const first = await omnitron.getOrCreateCustomer(
      { email: 'A@B.co', phoneNumber: '+90 555', firstName: 'A', lastName: 'B' },
      'email',
    );
    const again = await omnitron.getOrCreateCustomer(
      { email: 'a@b.co', firstName: 'Ayla', lastName: 'B' },
      'email',
    );
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ firstName: 'Ayla', phoneNumber: '+90 555', email: 'a@b.co' });
    const byPhone = await omnitron.getOrCreateCustomer(
      { phoneNumber: '+90 555', firstName: 'Ayla', lastName: 'B' },
      'phone_number',
    );
    expect(byPhone.id).toBe(first.id);
    await expect(
      omnitron.getOrCreateCustomer({ email: 'x@y.co', firstName: 'X', lastName: 'Y' }, 'phone_number'),
    ).rejects.toThrow(/CUSTOMER_IDENTIFIER_FIELD is "phone_number"/);
  });

  it('keeps order numbers unique and refuses unknown references', async () => {
    const omnitron = new InMemoryOmnitron();
    const unknown = {
      number: 'N1',
      customer: 999,
      shippingAddress: 1,
      billingAddress: 1,
      cargoCompany: 1,
      items: [],
    } as unknown as Parameters<typeof omnitron.createOrder>[0];
    await expect(omnitron.createOrder(unknown)).rejects.toBeInstanceOf(OmnitronValidationError);
    const order = buildChannelOrder();
    await new OrderService({ omnitron, channel: new ScriptedChannel() }).createOrder(order);
    const stored = omnitron.store.findOrderByNumber(order.number);
    const items = omnitron.store.listOrderItems(stored?.id ?? 0);
    const again = {
      ...unknown,
      number: order.number,
      customer: stored?.customer,
      cargoCompany: stored?.cargoCompany,
      items: items.map((i) => ({ product: i.product })),
    };
    await expect(omnitron.createOrder(again as never)).rejects.toBeInstanceOf(DuplicateOrderError);
  });

  it('hands out copies, so callers cannot change Omnitron by accident', async () => {
    const omnitron = new InMemoryOmnitron();
    const batch = await omnitron.createBatchRequest('order');
    batch.status = 'done';
    expect(omnitron.store.batchRequests.get(batch.id)?.status).toBe('initialized');
  });

  it('fails the named operation as many times as asked, then recovers', async () => {
    const omnitron = new InMemoryOmnitron();
    omnitron.failNext('getChannel', { times: 2 });
    await expect(omnitron.getChannel()).rejects.toBeInstanceOf(OmnitronError);
    await expect(omnitron.getChannel()).rejects.toBeInstanceOf(OmnitronError);
    await expect(omnitron.getChannel()).resolves.toMatchObject({ isActive: true });
    expect(omnitron.callCount('getChannel')).toBe(3);
  });

  it('moves modified dates strictly forward even when the clock stands still', () => {
    const store = new OmnitronStore({ clock: () => new Date('2026-01-01T00:00:00Z') });
    const a = store.now();
    const b = store.now();
    expect(b > a).toBe(true);
  });

  it('compares place names ignoring case, accents and Turkish i', () => {
    expect(normalizeName('İstanbul')).toBe(normalizeName('ISTANBUL'));
    expect(normalizeName('ıstanbul')).toBe('istanbul');
    expect(normalizeName('Kadıköy')).toBe(normalizeName('KADIKOY'));
    expect(normalizeName('Ankara')).not.toBe(normalizeName('Antalya'));
  });
});
