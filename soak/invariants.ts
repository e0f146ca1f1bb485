import { OrderStatus } from '../src/index.js';
import { unitRemoteId } from '../src/orders/common/unit-remote-id.js';
import type { OmnitronStore } from '../src/testing/index.js';
import type { Marketplace } from './marketplace.js';

/** Statuses in which a batch request is finished. */
const CLOSED_BATCH = ['done', 'fail'];

/**
 * What must hold once the soak has quiesced, checked on both sides (the marketplace's state and the mock
 * Omnitron's store). Returns one line per violation, each naming the object; empty when all is well.
 *
 * - every marketplace order is in Omnitron exactly once, with the same amount and one item per unit;
 * - every change made in Omnitron (order status, request decision) reached the marketplace;
 * - every cancellation and line change made on the marketplace reached Omnitron;
 * - every cancellation or return request has each of its units once in Omnitron, in the same state on both
 *   sides;
 * - nothing was created twice: orders, customers, addresses, integration actions, cancellation requests;
 * - no batch request is left open, but for an empty one younger than `staleBatchAfter` (see
 *   {@link checkBatches}).
 */
export function checkInvariants(
  market: Marketplace,
  store: OmnitronStore,
  staleBatchAfter: number,
): string[] {
  return [
    ...checkOrders(market, store),
    ...checkLines(market, store),
    ...checkClaims(market, store),
    ...checkDuplicates(store),
    ...checkBatches(store, staleBatchAfter),
  ];
}

/** Items of Omnitron's orders, grouped by the marketplace line id their import recorded. */
function itemsByLine(store: OmnitronStore) {
  const byLine = new Map<string, { id: number; status: string; trackingNumber: string | null }[]>();
  for (const item of store.orderItems.values()) {
    const line = item.extraField.id;
    if (typeof line !== 'string') continue;
    byLine.set(line, [...(byLine.get(line) ?? []), item]);
  }
  return byLine;
}

function checkOrders(market: Marketplace, store: OmnitronStore): string[] {
  const violations: string[] = [];
  const byNumber = new Map<string, (typeof store.orders extends Map<number, infer O> ? O : never)[]>();
  for (const order of store.orders.values())
    byNumber.set(order.number, [...(byNumber.get(order.number) ?? []), order]);
  const byLine = itemsByLine(store);
  const awaiting = new Set(store.listOrdersAwaitingUpdate().map((o) => o.id));
  const linked = new Map<string, number>();
  for (const action of store.integrationActions.values())
    if (action.contentType === 'orderitem' && action.remoteId !== null)
      linked.set(action.remoteId, (linked.get(action.remoteId) ?? 0) + 1);
  for (const order of market.orders.values()) {
    const found = byNumber.get(order.number) ?? [];
    if (found.length !== 1) {
      violations.push(`order ${order.number}: in Omnitron ${found.length} times, expected once`);
      if (found.length === 0) continue;
    }
    const omnitron = found[0] as (typeof found)[number];
    if (Number(omnitron.amount) !== Number(order.data.amount))
      violations.push(
        `order ${order.number}: amount ${omnitron.amount} in Omnitron, ${order.data.amount} on the marketplace`,
      );
    for (const line of order.lines) {
      const units = byLine.get(line.remoteId)?.length ?? 0;
      if (units !== line.quantity)
        violations.push(`line ${line.remoteId}: ${units} items in Omnitron for ${line.quantity} units`);
      const links = linked.get(line.remoteId) ?? 0;
      if (units > 0 && links !== units)
        violations.push(`line ${line.remoteId}: ${links} of its ${units} items linked to it in Omnitron`);
    }
    // A marketplace that cancelled the whole order knows it is cancelled, told or not.
    const seen = order.cancelledHere ? OrderStatus.cancelled : (order.statusSeen ?? OrderStatus.approved);
    if (seen !== omnitron.status) {
      const knows = order.cancelledHere
        ? 'cancelled it whole (100)'
        : `knows ${order.statusSeen ?? 'nothing (created 400)'}`;
      // Stalled (still to send) or lost (Omnitron holds its version as sent, or an open batch holds it).
      const where = awaiting.has(omnitron.id)
        ? 'still in the update feed'
        : 'not in the update feed: recorded as sent, or held by an open batch';
      violations.push(
        `order ${order.number}: status ${omnitron.status} in Omnitron, the marketplace ${knows} (${where})`,
      );
    }
  }
  const known = new Set([...market.orders.values()].map((o) => o.number));
  for (const number of byNumber.keys())
    if (!known.has(number)) violations.push(`order ${number}: in Omnitron but not on the marketplace`);
  return violations;
}

/** Cancellations and line changes made on the marketplace, as Omnitron's items show them. */
function checkLines(market: Marketplace, store: OmnitronStore): string[] {
  const violations: string[] = [];
  const byLine = itemsByLine(store);
  for (const order of market.orders.values()) {
    for (const line of order.lines) {
      const items = byLine.get(line.remoteId) ?? [];
      const cancelled = items.filter((i) => i.status === OrderStatus.cancelled).length;
      if (line.cancelled && cancelled !== items.length)
        violations.push(
          `line ${line.remoteId}: cancelled on the marketplace, ${cancelled}/${items.length} units in Omnitron`,
        );
      if (!line.cancelled && cancelled > 0)
        violations.push(
          `line ${line.remoteId}: not cancelled on the marketplace, ${cancelled} units cancelled in Omnitron`,
        );
      if (line.status === undefined) continue;
      const off = items.filter(
        (i) => i.status !== line.status || i.trackingNumber !== (line.trackingNumber ?? null),
      );
      if (off.length > 0)
        violations.push(
          `line ${line.remoteId}: status ${line.status} on the marketplace, ${off.map((i) => `${i.status}/${i.trackingNumber}`).join(', ')} in Omnitron`,
        );
    }
  }
  return violations;
}

/** Each unit of each request once in Omnitron, on the request's line, in the state the marketplace has. */
function checkClaims(market: Marketplace, store: OmnitronStore): string[] {
  const violations: string[] = [];
  const requests = [...store.cancellationRequests.values()];
  const byRemote = new Map<string, typeof requests>();
  for (const r of requests) byRemote.set(r.remoteId ?? '', [...(byRemote.get(r.remoteId ?? '') ?? []), r]);
  const expected = new Set<string>();
  for (const claim of market.claims.values()) {
    claim.units.forEach((status, i) => {
      const remoteId = unitRemoteId(claim.remoteId, i + 1, claim.quantity);
      expected.add(remoteId);
      const found = byRemote.get(remoteId) ?? [];
      if (found.length !== 1) {
        violations.push(`request ${remoteId}: in Omnitron ${found.length} times, expected once`);
        return;
      }
      const request = found[0] as (typeof found)[number];
      const line = store.orderItems.get(request.orderItem)?.extraField.id;
      if (line !== claim.orderItem)
        violations.push(
          `request ${remoteId}: on line ${String(line)} in Omnitron, ${claim.orderItem} on the marketplace`,
        );
      if (request.status !== status)
        violations.push(`request ${remoteId}: ${request.status} in Omnitron, ${status} on the marketplace`);
    });
  }
  for (const remoteId of byRemote.keys())
    if (!expected.has(remoteId))
      violations.push(`request ${remoteId}: in Omnitron but not on the marketplace`);
  return violations;
}

/** Objects Omnitron holds twice (orders and requests are counted above, per marketplace object). */
function checkDuplicates(store: OmnitronStore): string[] {
  const violations: string[] = [];
  const twice = (what: string, keys: Iterable<string>) => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [key, n] of counts) if (n > 1) violations.push(`${what} ${key}: created ${n} times`);
  };
  twice(
    'customer',
    [...store.customers.values()].map((c) => (c.email ?? c.phoneNumber ?? `#${c.id}`).toLowerCase()),
  );
  twice(
    'address',
    [...store.addresses.values()].map((a) => `${a.customer ?? '-'}:${a.hashData ?? `#${a.id}`}`),
  );
  twice(
    'integration action',
    [...store.integrationActions.values()].map((a) => `${a.contentType}#${a.objectId}`),
  );
  twice(
    'integration action of remote id',
    [...store.integrationActions.values()]
      .filter((a) => a.remoteId !== null && ['order', 'cancellationrequest'].includes(a.contentType))
      .map((a) => `${a.contentType}:${a.remoteId}`),
  );
  return violations;
}

/**
 * Batch requests left in `initialized`, `commit`, `sent_to_remote` or `ongoing`. An empty `initialized` one
 * (a run stopped right after creating it, or a batch create sent again after its answer was lost) holds
 * nothing and blocks nothing; the SDK's contract is that the next run closes it once it is older than
 * `staleBatchAfter`, so only one older than that is left open.
 */
function checkBatches(store: OmnitronStore, staleBatchAfter: number): string[] {
  const now = Date.parse(store.now());
  const awaitingSweep = (b: { status: string; objects: readonly unknown[] | null; modifiedDate: string }) =>
    b.status === 'initialized' &&
    (b.objects?.length ?? 0) === 0 &&
    now - Date.parse(b.modifiedDate) < staleBatchAfter;
  return [...store.batchRequests.values()]
    .filter((b) => !CLOSED_BATCH.includes(b.status) && !awaitingSweep(b))
    .map(
      (b) =>
        `batch request ${b.id}: left ${b.status} (${b.contentType ?? 'no content type'}, ${b.objects?.length ?? 0} objects)`,
    );
}
