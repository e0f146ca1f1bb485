import {
  BAZAAR_LINE_STATUSES,
  type BazaarApi,
  type BazaarCancellation,
  type BazaarJob,
  type BazaarLineEvent,
  type BazaarLineUpdate,
  type BazaarOrder,
  type BazaarPage,
  type BazaarReturn,
  type BazaarReturnDecision,
} from './bazaar-api.js';

/** Options of {@link FakeBazaarApi}. */
export interface FakeBazaarApiOptions {
  /** Items per page of every list; small, so the tests cross page boundaries. Default 2. */
  pageSize?: number;
  /**
   * How many polls of a job answer `PROCESSING` before it completes. Default 1: the first poll finds the
   * job still working, as a real asynchronous API often does, and the second has its results.
   */
  pollsBeforeDone?: number;
}

/** A line update job as the fake marketplace keeps it. */
interface FakeJob {
  updates: BazaarLineUpdate[];
  polls: number;
}

/**
 * Bazaar Market in memory: the same endpoints as {@link BazaarApi}, plus the levers a test pulls on
 * the marketplace's side (a buyer returns goods, a carrier scans a parcel). Every call is recorded in
 * {@link FakeBazaarApi.calls}, so tests can assert what the adapter asked for.
 */
export class FakeBazaarApi implements BazaarApi {
  /** Every endpoint call, in order, as `METHOD /path`. */
  readonly calls: string[] = [];
  /** Every line update the adapter pushed, per job id. */
  readonly jobs = new Map<string, FakeJob>();
  /** Every return decision the adapter sent, in order. */
  readonly decisions: (BazaarReturnDecision & { returnId: string })[] = [];

  private readonly pageSize: number;
  private readonly pollsBeforeDone: number;
  private orders = new Map<string, BazaarOrder>();
  private readonly acknowledged = new Set<string>();
  private readonly refusals = new Map<string, string>();
  private cancellations: BazaarCancellation[] = [];
  private readonly cancellationStates = new Map<string, { state: 'APPLIED' | 'FAILED'; reason?: string }>();
  private events: BazaarLineEvent[] = [];
  private returns: BazaarReturn[] = [];
  private nextId = 1;

  /** Starts with `orders` on offer. */
  constructor(
    private readonly seed: readonly BazaarOrder[] = [],
    options: FakeBazaarApiOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 2;
    this.pollsBeforeDone = options.pollsBeforeDone ?? 1;
    this.reset();
  }

  /** Back to the seed orders, all unacknowledged, and no cancellations, events, returns or jobs. */
  reset(): void {
    this.orders = new Map(this.seed.map((order) => [order.orderId, structuredClone(order)]));
    this.acknowledged.clear();
    this.refusals.clear();
    this.cancellations = [];
    this.cancellationStates.clear();
    this.events = [];
    this.returns = [];
    this.jobs.clear();
    this.decisions.length = 0;
    this.calls.length = 0;
  }

  // ---- the endpoints ----

  /** `GET /orders?cursor=…`. */
  async listOrders(cursor: string | null, signal?: AbortSignal): Promise<BazaarPage<'orders', BazaarOrder>> {
    this.enter(`GET /orders?cursor=${cursor ?? ''}`, signal);
    const { items, nextCursor } = this.page(
      [...this.orders.values()].filter((o) => !this.acknowledged.has(o.orderId)),
      cursor,
    );
    return { orders: structuredClone(items), nextCursor };
  }

  /** `GET /orders/search?from=…&to=…&cursor=…`: orders placed in `[from, to)`, acknowledged or not. */
  async searchOrders(
    window: { from: string; to: string },
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'orders', BazaarOrder>> {
    this.enter(`GET /orders/search?from=${window.from}&to=${window.to}&cursor=${cursor ?? ''}`, signal);
    const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
    const placed = [...this.orders.values()].filter((o) => {
      const at = Date.parse(o.placedAt);
      return at >= from && at < to;
    });
    const { items, nextCursor } = this.page(placed, cursor);
    return { orders: structuredClone(items), nextCursor };
  }

  /** `POST /orders/ack`. */
  async acknowledgeOrders(orderIds: string[], signal?: AbortSignal): Promise<{ acknowledged: string[] }> {
    this.enter('POST /orders/ack', signal);
    const known = orderIds.filter((id) => this.orders.has(id));
    for (const id of known) this.acknowledged.add(id);
    return { acknowledged: known };
  }

  /** `POST /line-updates`. */
  async pushLineUpdates(updates: BazaarLineUpdate[], signal?: AbortSignal): Promise<{ jobId: string }> {
    this.enter('POST /line-updates', signal);
    const jobId = `JOB-${this.nextId++}`;
    this.jobs.set(jobId, { updates: structuredClone(updates), polls: 0 });
    return { jobId };
  }

  /** `GET /jobs/{id}`: `PROCESSING` for the first polls, then one result per order of the job. */
  async getJob(jobId: string, signal?: AbortSignal): Promise<BazaarJob> {
    this.enter(`GET /jobs/${jobId}`, signal);
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`Bazaar answered 404 to GET /jobs/${jobId}`);
    job.polls += 1;
    if (job.polls <= this.pollsBeforeDone) return { jobId, state: 'PROCESSING' };
    // An order's lines are taken or refused together, so an order is never half updated.
    const byOrder = new Map<string, string | undefined>();
    for (const update of job.updates)
      byOrder.set(update.orderId, byOrder.get(update.orderId) ?? this.refuse(update));
    for (const update of job.updates) if (byOrder.get(update.orderId) === undefined) this.apply(update);
    const results = [...byOrder].map(([orderId, error]) =>
      error === undefined ? { orderId, accepted: true } : { orderId, accepted: false, error },
    );
    return { jobId, state: 'COMPLETED', results };
  }

  /** `GET /cancellations?cursor=…`. */
  async listCancellations(
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'cancellations', BazaarCancellation>> {
    this.enter(`GET /cancellations?cursor=${cursor ?? ''}`, signal);
    const { items, nextCursor } = this.page(this.cancellations, cursor);
    return { cancellations: structuredClone(items), nextCursor };
  }

  /** `POST /cancellations/ack`. */
  async acknowledgeCancellations(
    ack: { applied: string[]; failed: { cancellationId: string; reason: string }[] },
    signal?: AbortSignal,
  ): Promise<void> {
    this.enter('POST /cancellations/ack', signal);
    for (const id of ack.applied) this.cancellationStates.set(id, { state: 'APPLIED' });
    for (const { cancellationId, reason } of ack.failed)
      this.cancellationStates.set(cancellationId, { state: 'FAILED', reason });
  }

  /** What the seller sees of a cancellation: applied, failed with why, or not heard of yet. */
  cancellationState(cancellationId: string): { state: 'APPLIED' | 'FAILED'; reason?: string } | undefined {
    return this.cancellationStates.get(cancellationId);
  }

  /** `GET /line-events?cursor=…`. */
  async listLineEvents(
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'events', BazaarLineEvent>> {
    this.enter(`GET /line-events?cursor=${cursor ?? ''}`, signal);
    const { items, nextCursor } = this.page(this.events, cursor);
    return { events: structuredClone(items), nextCursor };
  }

  /** `GET /returns?cursor=…`. */
  async listReturns(
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'returns', BazaarReturn>> {
    this.enter(`GET /returns?cursor=${cursor ?? ''}`, signal);
    const { items, nextCursor } = this.page(this.returns, cursor);
    return { returns: structuredClone(items), nextCursor };
  }

  /** `POST /returns/{id}/decisions`: refused for an unknown return or a unit it does not cover. */
  async decideReturn(
    returnId: string,
    decision: BazaarReturnDecision,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; error?: string }> {
    this.enter(`POST /returns/${returnId}/decisions`, signal);
    const found = this.returns.find((r) => r.returnId === returnId);
    if (!found) return { ok: false, error: `no return ${returnId}` };
    if (decision.of !== found.quantity || decision.unit < 1 || decision.unit > decision.of) {
      return {
        ok: false,
        error: `return ${returnId} covers ${found.quantity} units, not unit ${decision.unit}/${decision.of}`,
      };
    }
    this.decisions.push({ returnId, ...decision });
    return { ok: true };
  }

  // ---- what happens on the marketplace's side ----

  /** Ids of the orders offered as new now. */
  pendingOrderIds(): string[] {
    return [...this.orders.keys()].filter((id) => !this.acknowledged.has(id));
  }

  /** Ids of the orders acknowledged so far. */
  acknowledgedOrderIds(): string[] {
    return [...this.acknowledged];
  }

  /** A line as Bazaar holds it now (after accepted updates and events). */
  line(orderId: string, lineId: string) {
    const line = this.orders.get(orderId)?.lines.find((l) => l.lineId === lineId);
    if (!line) throw new Error(`no line ${lineId} in order ${orderId}`);
    return structuredClone(line);
  }

  /** Makes every later job refuse this order's updates with `message`. */
  refuseUpdatesOf(orderId: string, message: string): void {
    this.refusals.set(orderId, message);
  }

  /** The seller cancels whole lines of an order; returns the order id, as the cancellation names it. */
  cancelLines(orderId: string, lineIds: string[], reasonCode = 'OUT_OF_STOCK'): string {
    this.line(orderId, lineIds[0] ?? '');
    this.cancellations.push({
      cancellationId: `CNL-${this.nextId++}`,
      orderId,
      lineIds,
      reasonCode,
      refundShipping: false,
    });
    for (const lineId of lineIds) this.setLine(orderId, lineId, { status: 'CANCELLED' });
    return orderId;
  }

  /** The seller cancels `quantity` units of one line; returns the order id, as the cancellation names it. */
  cancelUnits(orderId: string, lineId: string, quantity: number, reasonCode = 'OUT_OF_STOCK'): string {
    this.line(orderId, lineId);
    this.cancellations.push({
      cancellationId: `CNL-${this.nextId++}`,
      orderId,
      lineIds: [lineId],
      quantities: { [lineId]: quantity },
      reasonCode,
      refundShipping: false,
    });
    return orderId;
  }

  /**
   * The carrier picks up a line (`carrier`, when it is not the order's: a package of its own); returns the
   * line id, as the event names it.
   */
  shipLine(orderId: string, lineId: string, trackingNumber: string, carrier?: string): string {
    this.line(orderId, lineId);
    this.events.push({
      eventId: `EVT-${this.nextId++}`,
      orderId,
      lineId,
      status: 'SHIPPED',
      trackingNumber,
      ...(carrier === undefined ? {} : { carrier }),
    });
    this.setLine(orderId, lineId, { status: 'SHIPPED' });
    return lineId;
  }

  /** The buyer asks to return `quantity` units of a line; returns the request's id. */
  openReturn(input: Omit<BazaarReturn, 'returnId' | 'kind'> & { kind?: BazaarReturn['kind'] }): string {
    this.line(input.orderId, input.lineId);
    const returnId = `RET-${this.nextId++}`;
    this.returns.push({ kind: 'RETURN', ...input, returnId });
    return returnId;
  }

  // ---- internals ----

  private enter(call: string, signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    this.calls.push(call);
  }

  /** Cursors are opaque to clients; here they are the offset of the next page. */
  private page<T>(all: readonly T[], cursor: string | null): { items: T[]; nextCursor: string | null } {
    const start = cursor === null ? 0 : Number(cursor.replace(/^c/, ''));
    if (!Number.isInteger(start) || start < 0) throw new Error(`Bazaar answered 400: bad cursor ${cursor}`);
    const end = start + this.pageSize;
    return { items: all.slice(start, end), nextCursor: end < all.length ? `c${end}` : null };
  }

  /** Why Bazaar refuses an update, or `undefined` when it takes it. */
  private refuse(update: BazaarLineUpdate): string | undefined {
    const refusal = this.refusals.get(update.orderId);
    if (refusal !== undefined) return refusal;
    if (!this.orders.get(update.orderId)?.lines.some((l) => l.lineId === update.lineId)) {
      return `unknown line ${update.lineId} of order ${update.orderId}`;
    }
    if (!(BAZAAR_LINE_STATUSES as readonly string[]).includes(update.status))
      return `unknown line status ${update.status}`;
    if (update.status === 'SHIPPED' && !update.trackingNumber)
      return `line ${update.lineId} shipped without a tracking number`;
    return undefined;
  }

  private apply(update: BazaarLineUpdate): void {
    this.setLine(update.orderId, update.lineId, { status: update.status });
  }

  private setLine(orderId: string, lineId: string, changes: { status: string }): void {
    const line = this.orders.get(orderId)?.lines.find((l) => l.lineId === lineId);
    if (line) line.status = changes.status;
  }
}
