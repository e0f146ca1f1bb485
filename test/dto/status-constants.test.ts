import { describe, expect, it } from 'vitest';
import {
  CancellationRequest,
  CancellationRequestStatus,
  CancellationTypes,
  ChannelCancellationRequest,
  ChannelOrder,
  ChannelOrderItem,
  Order,
  OrderItem,
  OrderItemStatus,
  OrderItemUpdate,
  OrderStatus,
} from '../../src/index.js';
import { CancellationRequestJson } from '../../src/omnitron/wire/cancellation-request.js';
import { OrderItemJson, OrderJson } from '../../src/omnitron/wire/order.js';
import { buildChannelOrder } from '../../src/testing/index.js';

const orderStatuses = Object.entries(OrderStatus);
const requestStatuses = Object.entries(CancellationRequestStatus);
const cancellationTypes = Object.entries(CancellationTypes);

describe('OrderStatus', () => {
  it('keeps the codes that were public before', () => {
    // Adapters compare against these; renaming or renumbering one would break them silently.
    expect(OrderStatus).toMatchObject({
      cancellationWaiting: '50',
      cancelled: '100',
      waiting: '200',
      approved: '400',
    });
  });

  it('has a distinct code of digits for every name, and OrderItemStatus is the same list', () => {
    const codes = orderStatuses.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^\d+$/);
    expect(OrderItemStatus).toBe(OrderStatus);
  });

  it.each(orderStatuses)('%s (%s) is accepted wherever an order or item carries a status', (_, code) => {
    const built = buildChannelOrder();
    const order = ChannelOrder.parse({
      ...built,
      status: code,
      items: built.items.map((item) => ({ ...item, status: code })),
    });
    expect(order.status).toBe(code);
    expect(order.items.every((item) => item.status === code)).toBe(true);
    expect(ChannelOrderItem.parse({ ...built.items[0], status: code }).status).toBe(code);
    expect(OrderItemUpdate.parse({ remoteId: 'LINE-1', status: code }).status).toBe(code);

    // Omnitron's side: the JSON it answers with, and the objects the flows read.
    const orderJson = {
      pk: 1,
      number: 'N-1',
      status: code,
      customer: 2,
      amount: '10.00',
      currency: 'try',
      cargo_company: 3,
      extra_field: { id: 'R-1' },
      modified_date: '2025-01-01T00:00:00Z',
    };
    const parsedOrder = OrderJson.parse(orderJson);
    expect(Order.parse(parsedOrder).status).toBe(code);
    const itemJson = {
      pk: 4,
      order: 1,
      product: 5,
      status: code,
      price: '10.00',
      invoice_number: null,
      invoice_date: null,
      tracking_number: null,
      extra_field: { id: 'LINE-1' },
      modified_date: '2025-01-01T00:00:00Z',
    };
    const parsedItem = OrderItemJson.parse(itemJson);
    expect(OrderItem.parse(parsedItem).status).toBe(code);
  });
});

describe('CancellationRequestStatus and CancellationTypes', () => {
  it('have distinct values', () => {
    const statuses = requestStatuses.map(([, value]) => value);
    expect(new Set(statuses).size).toBe(statuses.length);
    const types = cancellationTypes.map(([, value]) => value);
    expect(new Set(types).size).toBe(types.length);
  });

  it('name every cancellation type the schema takes, and only those', () => {
    for (const [, type] of cancellationTypes) {
      expect(
        ChannelCancellationRequest.parse({
          remoteId: 'CR-1',
          orderItem: 'L-1',
          reason: 'X',
          cancellationType: type,
        }).cancellationType,
      ).toBe(type);
    }
    const missing = ChannelCancellationRequest.safeParse({
      remoteId: 'CR-1',
      orderItem: 'L-1',
      reason: 'X',
      cancellationType: 'exchange',
    });
    expect(missing.success).toBe(false);
  });

  it.each(requestStatuses)('%s (%s) is read from Omnitron with every type', (_, status) => {
    for (const [, type] of cancellationTypes) {
      const parsed = CancellationRequestJson.parse({
        id: 701,
        order_item: 9101,
        reason: 1,
        remote_id: 'CR-1',
        description: null,
        cancellation_type: type,
        status,
        modified_date: '2025-01-01T00:00:00Z',
      });
      expect(CancellationRequest.parse(parsed)).toMatchObject({ status, cancellationType: type });
    }
  });
});
