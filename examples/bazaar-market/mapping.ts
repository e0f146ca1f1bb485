import {
  CancellationRequestStatus,
  CancellationTypes,
  type CancelOrderInput,
  type ChannelAddress,
  type ChannelCancellationRequestInput,
  type ChannelCancellationRequestUpdate,
  type ChannelOrderInput,
  type OrderBatchResultInput,
  OrderItemStatus,
  type OrderItemUpdateInput,
  OrderStatus,
  type OrderToSend,
} from 'channel-app-sdk';
import type {
  BazaarAddress,
  BazaarCancellation,
  BazaarInvoiceAddress,
  BazaarJob,
  BazaarLineEvent,
  BazaarLineUpdate,
  BazaarOrder,
  BazaarReturn,
  BazaarReturnDecision,
} from './bazaar-api.js';

/**
 * Kuruş to a decimal string with integer arithmetic only, so no amount goes through a float.
 * A value that is not a whole number of kuruş is passed on as an invalid string on purpose: the SDK's
 * validation then fails that one order and names the field, where rounding here would hide the problem.
 */
export function kurusToDecimal(kurus: number): string {
  if (!Number.isSafeInteger(kurus)) return `${kurus} kurus (not a whole number)`;
  const abs = Math.abs(kurus);
  return `${kurus < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A Bazaar address in the SDK's terms; Omnitron resolves the names to its own location ids. */
function toAddress(address: BazaarAddress | BazaarInvoiceAddress): ChannelAddress {
  const invoice: Partial<BazaarInvoiceAddress> = address;
  return {
    firstName: address.firstName,
    lastName: address.lastName,
    phoneNumber: address.phone,
    country: 'TR', // Bazaar only sells in Türkiye and leaves the country out
    city: address.province,
    township: address.county,
    district: address.neighbourhood,
    line: address.street,
    postcode: address.zip,
    companyName: invoice.company,
    taxOffice: invoice.taxOffice,
    taxNo: invoice.taxNumber,
  };
}

/** A Bazaar order as the SDK imports it: one line per Bazaar line, with its quantity. */
export function toChannelOrder(order: BazaarOrder): ChannelOrderInput {
  const shippingAddress = toAddress(order.delivery);
  return {
    remoteId: order.orderId,
    number: order.orderNumber,
    createdAt: order.placedAt,
    customer: {
      email: order.buyer.email,
      phoneNumber: order.buyer.phone,
      firstName: order.buyer.firstName,
      lastName: order.buyer.lastName,
      channelCode: order.buyer.buyerId,
    },
    shippingAddress,
    billingAddress: order.invoice ? toAddress(order.invoice) : shippingAddress,
    currency: order.currency,
    amount: kurusToDecimal(order.totalPrice),
    shippingAmount: kurusToDecimal(order.shippingFee),
    shippingTaxRate: '20', // Bazaar's shipping fee always carries the standard VAT rate
    discountAmount: kurusToDecimal(order.discount),
    cargoCompany: order.carrier,
    items: order.lines.map((line) => ({
      remoteId: line.lineId,
      product: line.sku,
      quantity: line.quantity,
      price: kurusToDecimal(line.unitPrice),
      retailPrice: line.listPrice === undefined ? undefined : kurusToDecimal(line.listPrice),
      taxRate: String(line.vatRate),
      // An order in several packages: a line with another carrier than the order's names it, and its
      // tracking number is that package's shipment code.
      ...(line.carrier === undefined ? {} : { cargoCompany: line.carrier }),
      ...(line.trackingNumber === undefined ? {} : { trackingNumber: line.trackingNumber }),
    })),
  };
}

/**
 * A Bazaar order as `reconcileOrders` compares it: the order as imported, plus each line's status now,
 * in Omnitron's codes. Bazaar has no order status (it keeps status per line), so the order's is left out
 * and only the lines' are compared.
 */
export function toListedOrder(order: BazaarOrder): ChannelOrderInput {
  const listed = toChannelOrder(order);
  return {
    ...listed,
    items: listed.items.map((item, index) => {
      const status = order.lines[index]?.status ?? '';
      return { ...item, status: FROM_BAZAAR_STATUS[status] ?? status };
    }),
  };
}

/** Omnitron status codes and the Bazaar line status each one means. */
const TO_BAZAAR_STATUS: Readonly<Record<string, string>> = {
  [OrderStatus.approved]: 'APPROVED',
  [OrderStatus.preparing]: 'PICKING',
  [OrderStatus.shipped]: 'SHIPPED',
  [OrderStatus.shippedAndInformed]: 'SHIPPED',
  [OrderStatus.delivered]: 'DELIVERED',
  [OrderStatus.cancelled]: 'CANCELLED',
  [OrderStatus.refunded]: 'RETURNED',
};

/** Bazaar line statuses and the Omnitron status code each one means. */
const FROM_BAZAAR_STATUS: Readonly<Record<string, string>> = {
  CREATED: OrderItemStatus.approved,
  APPROVED: OrderItemStatus.approved,
  PICKING: OrderItemStatus.preparing,
  SHIPPED: OrderItemStatus.shipped,
  DELIVERED: OrderItemStatus.delivered,
  CANCELLED: OrderItemStatus.cancelled,
  RETURNED: OrderItemStatus.refunded,
};

/** Units that are out of the shipment: they do not decide what a line's status is. */
const CLOSED_UNIT_STATUSES: ReadonlySet<string> = new Set([OrderStatus.cancelled, OrderStatus.refunded]);

/** The marketplace id of the order line an Omnitron unit belongs to (kept in its `extraField.id`). */
export function lineIdOf(unit: OrderToSend['items'][number]): string {
  const id = unit.extraField.id;
  return typeof id === 'string' ? id : String(id);
}

/**
 * What Bazaar should learn about one order: one update per line, because Bazaar keeps status per line
 * while Omnitron keeps one item per unit. A line's status is that of its least advanced open unit (a
 * line has shipped when all its open units have); a line whose units are all cancelled or returned
 * takes theirs. A code Bazaar has no name for is sent as it is, and Bazaar's refusal names it.
 */
export function toLineUpdates({ order, remoteId, items }: OrderToSend): BazaarLineUpdate[] {
  const units = new Map<string, OrderToSend['items']>();
  for (const unit of items) units.set(lineIdOf(unit), [...(units.get(lineIdOf(unit)) ?? []), unit]);
  return [...units].map(([lineId, lineUnits]) => {
    const open = lineUnits.filter((u) => !CLOSED_UNIT_STATUSES.has(u.status));
    const deciding = (open.length > 0 ? open : lineUnits).toSorted(
      (a, b) => Number(a.status) - Number(b.status),
    );
    const status = deciding[0]?.status ?? order.status;
    const trackingNumber = deciding.find((u) => u.trackingNumber)?.trackingNumber ?? undefined;
    return {
      orderId: remoteId ?? order.number,
      lineId,
      status: TO_BAZAAR_STATUS[status] ?? status,
      trackingNumber,
    };
  });
}

/**
 * A finished job's answer as one result per order of the batch. An order Bazaar did not mention is
 * reported as refused with a reason, rather than left out, so the error report says why.
 */
export function toOrderResults(
  job: Extract<BazaarJob, { state: 'COMPLETED' }>,
  orders: OrderToSend[],
): OrderBatchResultInput[] {
  const byOrder = new Map(job.results.map((result) => [result.orderId, result]));
  return orders.map(({ order, remoteId }) => {
    const number = remoteId ?? order.number;
    const result = byOrder.get(number);
    if (!result)
      return { number, status: 'FAIL', message: `Bazaar job ${job.jobId} has no result for order ${number}` };
    return result.accepted
      ? { number, status: 'SUCCESS', remoteId: job.jobId }
      : { number, status: 'FAIL', message: result.error ?? 'refused by Bazaar' };
  });
}

/**
 * A Bazaar cancellation: every named line is cancelled whole, or in part when Bazaar gives its quantity,
 * all with the cancellation's reason. Its id lets the SDK recognise a partial cancellation listed again.
 */
export function toCancelOrder(cancellation: BazaarCancellation): CancelOrderInput {
  return {
    remoteId: cancellation.cancellationId,
    order: cancellation.orderId,
    cancelItems: cancellation.lineIds,
    reasons: Object.fromEntries(cancellation.lineIds.map((lineId) => [lineId, cancellation.reasonCode])),
    ...(cancellation.quantities ? { quantities: cancellation.quantities } : {}),
    isCargoRefund: cancellation.refundShipping,
  };
}

/** A Bazaar line event as a line update; only status and tracking travel, the rest is left as it is. */
export function toOrderItemUpdate(event: BazaarLineEvent): OrderItemUpdateInput {
  return {
    remoteId: event.lineId,
    orderRemoteId: event.orderId,
    status: FROM_BAZAAR_STATUS[event.status] ?? event.status,
    ...(event.trackingNumber === undefined ? {} : { trackingNumber: event.trackingNumber }),
    ...(event.carrier === undefined ? {} : { cargoCompany: event.carrier }),
  };
}

/** A Bazaar return (or cancel) request of some units of a line. */
export function toCancellationRequest(request: BazaarReturn): ChannelCancellationRequestInput {
  return {
    remoteId: request.returnId,
    orderItem: request.lineId,
    quantity: request.quantity,
    reason: request.reasonCode,
    description: request.customerNote,
    cancellationType: request.kind === 'CANCEL' ? CancellationTypes.cancel : CancellationTypes.refund,
  };
}

/** Omnitron request statuses that Bazaar has a decision for; the open ones have nothing to tell it. */
const DECISIONS: Readonly<Record<string, BazaarReturnDecision['decision']>> = {
  [CancellationRequestStatus.approved]: 'ACCEPT',
  [CancellationRequestStatus.rejected]: 'REJECT',
  [CancellationRequestStatus.completed]: 'COMPLETE',
};

/**
 * The decision to send Bazaar for a request that changed in Omnitron, or `null` when its new status is
 * one Bazaar has no word for (still open). Omnitron updates a request of several units unit by unit.
 */
export function toReturnDecision(request: ChannelCancellationRequestUpdate): BazaarReturnDecision | null {
  const decision = DECISIONS[request.status];
  if (!decision) return null;
  return { decision, unit: request.unit?.index ?? 1, of: request.unit?.of ?? 1 };
}
