import type {
  CancelOrderInput,
  ChannelCancellationRequestInput,
  ChannelOrderInput,
  OrderBatchResultInput,
  OrderItemUpdateInput,
} from '../src/index.js';
import { OrderStatus } from '../src/index.js';
import type { Random } from './random.js';

/**
 * What happens to an order after it arrives. One path per order, because Omnitron does not let one order
 * mix cancels and returns: `plain` orders are only shipped by the merchant; `cancel` orders lose lines to
 * partial and full cancellations; `claim` orders get cancellation requests; `return` orders are shipped
 * and delivered line by line on the marketplace, then get return requests.
 */
export type OrderPath = 'plain' | 'cancel' | 'claim' | 'return';

/** One line of a marketplace order. */
export interface MarketLine {
  remoteId: string;
  product: string;
  /** Unit price, in cents. */
  cents: number;
  quantity: number;
  cancelled: boolean;
  /** The line's status as the marketplace set it (shipped, delivered), for `return` orders. */
  status?: string;
  trackingNumber?: string;
  /** Whether a cancellation or return request covers it: one request per line. */
  claimed: boolean;
}

/** An order on the marketplace, with what the marketplace learnt of it from Omnitron. */
export interface MarketOrder {
  remoteId: string;
  number: string;
  path: OrderPath;
  lines: MarketLine[];
  /** The order as the channel yields it. */
  data: ChannelOrderInput;
  acknowledged: boolean;
  /** The last status Omnitron sent for it (sync or through a finished job); `undefined` until then. */
  statusSeen?: string;
  /** Set when the marketplace itself cancelled every line: it knows the order is cancelled without being told. */
  cancelledHere?: boolean;
}

/** A cancellation made on the marketplace; listed again and again. */
export interface MarketCancel {
  order: string;
  cancelItems: string[];
  full: boolean;
}

/** A cancellation or return request opened on the marketplace, with the state of each of its units. */
export interface MarketClaim {
  remoteId: string;
  orderRemoteId: string;
  orderItem: string;
  quantity: number;
  reason: string;
  cancellationType: 'cancel' | 'refund';
  /** Each unit's status as Omnitron told the marketplace; `waiting` until then. */
  units: string[];
}

/** An asynchronous status job: its statuses reach the marketplace when it finishes. */
interface StatusJob {
  readyAt: number;
  updates: { orderId: string; status: string }[];
  finished: boolean;
}

/** A status update as the channel sends it. */
export interface StatusUpdate {
  orderId: string;
  status: string;
}

const PRODUCTS = ['PROD-1', 'PROD-2', 'PROD-3', 'PROD-4', 'PROD-5'];
const PRICES = [4990, 9990, 15000, 24950, 1250];
const REASONS = ['CUSTOMER_REQUEST', 'OUT_OF_STOCK', 'DAMAGED'];
const CARGOS = ['ARAS', 'YURTICI', 'MNG'];
const PLACES = [
  { city: 'İstanbul', township: 'Kadıköy', district: 'Caferağa' },
  { city: 'İstanbul', township: 'Beşiktaş', district: 'Levent' },
  { city: 'Ankara', township: 'Çankaya', district: 'Kızılay' },
  { city: 'İzmir', township: 'Konak', district: 'Alsancak' },
];
const PATHS: OrderPath[] = ['plain', 'cancel', 'cancel', 'claim', 'return', 'return'];

/** Cents as a decimal string: `12345` is `"123.45"`. */
export function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A marketplace kept in memory and driven by the soak's seeded generator: orders arrive, are cancelled in
 * part or whole, shipped and delivered line by line, and get cancellation and return requests; every list
 * is offered again and again, as real marketplaces do; order statuses come back synchronously or through
 * jobs that finish later.
 */
export class Marketplace {
  readonly orders = new Map<string, MarketOrder>();
  readonly cancels: MarketCancel[] = [];
  readonly claims = new Map<string, MarketClaim>();
  /** The latest change of each line, by line id: what `getUpdatedOrderItems` lists. */
  readonly lineUpdates = new Map<string, OrderItemUpdateInput>();
  readonly #jobs = new Map<string, StatusJob>();
  readonly #random: Random;
  readonly #prefix: string;
  readonly #customers: number;
  #sequence = 0;
  /** What the marketplace did and received, for the figures. */
  readonly counts = {
    orders: 0,
    cancels: 0,
    fullCancels: 0,
    lineUpdates: 0,
    claims: 0,
    returns: 0,
    statusesReceived: 0,
    asyncJobs: 0,
    requestUpdatesReceived: 0,
  };

  readonly #asyncShare: number;

  /**
   * `asyncShare` is the share of status updates answered with a job rather than at once (default 0.5); 0
   * makes every answer synchronous.
   */
  constructor(random: Random, options: { prefix: string; customers: number; asyncShare?: number }) {
    this.#random = random;
    this.#asyncShare = options.asyncShare ?? 0.5;
    this.#prefix = options.prefix;
    this.#customers = options.customers;
  }

  // Activity

  /** A new order: 1 to 3 lines of 1 to 3 units, a customer from a small pool (so customers repeat). */
  newOrder(): MarketOrder {
    const r = this.#random;
    this.#sequence += 1;
    const n = this.#sequence;
    const remoteId = `${this.#prefix}-MO-${n}`;
    const lines: MarketLine[] = Array.from({ length: r.int(1, 3) }, (_, i) => ({
      remoteId: `${remoteId}-L${i + 1}`,
      product: r.pick(PRODUCTS) ?? 'PROD-1',
      cents: r.pick(PRICES) ?? 1000,
      quantity: r.int(1, 3),
      cancelled: false,
      claimed: false,
    }));
    const k = r.int(1, this.#customers);
    const place = r.pick(PLACES) ?? { city: 'İstanbul', township: 'Kadıköy', district: 'Caferağa' };
    const address = {
      firstName: `Alıcı${k}`,
      lastName: 'Soak',
      phoneNumber: `+90555${String(k).padStart(7, '0')}`,
      country: 'TR',
      ...place,
      line: `Sokak ${k}`,
      postcode: '34000',
    };
    const data: ChannelOrderInput = {
      remoteId,
      number: `${this.#prefix}-${n}`,
      customer: {
        email: `customer-${k}@soak.example`,
        firstName: `Alıcı${k}`,
        lastName: 'Soak',
        channelCode: `C-${k}`,
      },
      shippingAddress: address,
      billingAddress: address,
      currency: 'TRY',
      amount: money(lines.reduce((sum, l) => sum + l.cents * l.quantity, 0)),
      shippingAmount: '0.00',
      shippingTaxRate: '20',
      cargoCompany: r.pick(CARGOS) ?? 'ARAS',
      createdAt: new Date().toISOString(),
      items: lines.map((l) => ({
        remoteId: l.remoteId,
        product: l.product,
        price: money(l.cents),
        taxRate: '20',
        quantity: l.quantity,
      })),
    };
    const order: MarketOrder = {
      remoteId,
      number: data.number,
      path: r.pick(PATHS) ?? 'plain',
      lines,
      data,
      acknowledged: false,
    };
    this.orders.set(remoteId, order);
    this.counts.orders += 1;
    return order;
  }

  /** Cancels some (or all the remaining) lines of an acknowledged `cancel` order. */
  cancelLines(): MarketCancel | undefined {
    const order = this.#pickOrder('cancel', (o) => o.lines.some((l) => !l.cancelled));
    if (!order) return undefined;
    const open = order.lines.filter((l) => !l.cancelled);
    const all = this.#random.chance(0.4);
    const chosen = all ? open : open.filter(() => this.#random.chance(0.5));
    const lines = chosen.length > 0 ? chosen : open.slice(0, 1);
    for (const line of lines) line.cancelled = true;
    const full = order.lines.every((l) => l.cancelled);
    if (full) order.cancelledHere = true;
    const cancel: MarketCancel = { order: order.remoteId, cancelItems: lines.map((l) => l.remoteId), full };
    this.cancels.push(cancel);
    this.counts.cancels += 1;
    if (full) this.counts.fullCancels += 1;
    return cancel;
  }

  /** Ships, then delivers, a line of an acknowledged `return` order (a change of the line on the marketplace). */
  moveLine(): void {
    const order = this.#pickOrder('return', (o) => o.lines.some((l) => l.status !== OrderStatus.delivered));
    const line = order && this.#random.pick(order.lines.filter((l) => l.status !== OrderStatus.delivered));
    if (!order || !line) return;
    line.status = line.status === OrderStatus.shipped ? OrderStatus.delivered : OrderStatus.shipped;
    line.trackingNumber ??= `TRK-${line.remoteId}`;
    this.lineUpdates.set(line.remoteId, {
      remoteId: line.remoteId,
      orderRemoteId: order.remoteId,
      status: line.status,
      trackingNumber: line.trackingNumber,
    });
    this.counts.lineUpdates += 1;
  }

  /**
   * Opens a request on a line not yet claimed: a cancellation request on a `claim` order, a return of
   * some units on a delivered line of a `return` order.
   */
  openClaim(type: 'cancel' | 'refund'): MarketClaim | undefined {
    const path: OrderPath = type === 'cancel' ? 'claim' : 'return';
    const fits = (l: MarketLine) => !l.claimed && (type === 'cancel' || l.status === OrderStatus.delivered);
    const order = this.#pickOrder(path, (o) => o.lines.some(fits));
    const line = order && this.#random.pick(order.lines.filter(fits));
    if (!order || !line) return undefined;
    line.claimed = true;
    const quantity = this.#random.int(1, line.quantity);
    const claim: MarketClaim = {
      remoteId: `${line.remoteId}-${type === 'cancel' ? 'CR' : 'RT'}`,
      orderRemoteId: order.remoteId,
      orderItem: line.remoteId,
      quantity,
      reason: this.#random.pick(REASONS) ?? 'CUSTOMER_REQUEST',
      cancellationType: type,
      units: Array.from({ length: quantity }, () => 'waiting'),
    };
    this.claims.set(claim.remoteId, claim);
    if (type === 'cancel') this.counts.claims += 1;
    else this.counts.returns += 1;
    return claim;
  }

  #pickOrder(path: OrderPath, fits: (order: MarketOrder) => boolean): MarketOrder | undefined {
    const candidates = [...this.orders.values()].filter((o) => o.acknowledged && o.path === path && fits(o));
    return this.#random.pick(candidates);
  }

  // What the channel reads and writes

  /** Orders not acknowledged yet, plus a few acknowledged ones offered again (overlap is the adapter's right). */
  listOrders(): ChannelOrderInput[] {
    const orders = [...this.orders.values()];
    const again = orders.filter((o) => o.acknowledged && this.#random.chance(0.05)).slice(0, 20);
    return [...orders.filter((o) => !o.acknowledged), ...again].map((o) => o.data);
  }

  /** Orders Omnitron has: the marketplace stops offering them. */
  acknowledge(remoteIds: readonly string[]): void {
    for (const id of remoteIds) {
      const order = this.orders.get(id);
      if (order) order.acknowledged = true;
    }
  }

  /**
   * Order statuses from Omnitron: applied now, or (`asyncShare` of the time) held by a job that finishes one
   * to three seconds later and applies them then.
   */
  receiveStatuses(
    updates: StatusUpdate[],
  ):
    | { status: 'done'; results: OrderBatchResultInput[] }
    | { status: 'sent_to_remote'; remoteBatchId: string } {
    if (!this.#random.chance(this.#asyncShare)) {
      this.#apply(updates);
      return { status: 'done', results: this.#results(updates) };
    }
    const id = `JOB-${this.#prefix}-${this.#jobs.size + 1}`;
    this.#jobs.set(id, { readyAt: Date.now() + this.#random.int(1000, 3000), updates, finished: false });
    this.counts.asyncJobs += 1;
    return { status: 'sent_to_remote', remoteBatchId: id };
  }

  /** A job's state: `ongoing` until it is due; then its statuses are applied (once) and its results given. */
  job(id: string): { status: 'ongoing' } | { status: 'done'; results: OrderBatchResultInput[] } {
    const job = this.#jobs.get(id);
    if (!job) return { status: 'done', results: [] };
    if (Date.now() < job.readyAt) return { status: 'ongoing' };
    if (!job.finished) {
      job.finished = true;
      this.#apply(job.updates);
    }
    return { status: 'done', results: this.#results(job.updates) };
  }

  /** Jobs the channel has not collected yet. */
  unfinishedJobs(): number {
    return [...this.#jobs.values()].filter((j) => !j.finished).length;
  }

  #apply(updates: StatusUpdate[]): void {
    for (const update of updates) {
      const order = this.orders.get(update.orderId);
      if (order) order.statusSeen = update.status;
      this.counts.statusesReceived += 1;
    }
  }

  #results(updates: StatusUpdate[]): OrderBatchResultInput[] {
    return updates.map((u) => ({ number: u.orderId, status: 'SUCCESS', message: '' }));
  }

  /** Every cancellation ever made, every time. */
  listCancels(): CancelOrderInput[] {
    return this.cancels.map((c) => ({
      order: c.order,
      cancelItems: c.cancelItems,
      reasons: Object.fromEntries(c.cancelItems.map((id) => [id, 'CUSTOMER_REQUEST'])),
    }));
  }

  /** The latest change of every line that changed, every time. */
  listLineUpdates(): OrderItemUpdateInput[] {
    return [...this.lineUpdates.values()];
  }

  /** Every request ever opened, every time. */
  listClaims(): ChannelCancellationRequestInput[] {
    return [...this.claims.values()].map((c) => ({
      remoteId: c.remoteId,
      orderItem: c.orderItem,
      quantity: c.quantity,
      reason: c.reason,
      cancellationType: c.cancellationType,
    }));
  }

  /** A request's unit changed in Omnitron: the marketplace records its status. */
  updateClaim(remoteId: string, unit: { index: number } | null, status: string): boolean {
    const claim = this.claims.get(remoteId);
    if (!claim) return false;
    claim.units[(unit?.index ?? 1) - 1] = status;
    this.counts.requestUpdatesReceived += 1;
    return true;
  }
}
