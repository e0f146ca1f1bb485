import { setTimeout as wait } from 'node:timers/promises';
import {
  type AcknowledgeItemsInput,
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelReport,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type ListOrdersInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from 'channel-app-sdk';
import type { BazaarApi, BazaarJob, BazaarPage } from './bazaar-api.js';
import {
  toCancellationRequest,
  toCancelOrder,
  toChannelOrder,
  toLineUpdates,
  toListedOrder,
  toOrderItemUpdate,
  toOrderResults,
  toReturnDecision,
} from './mapping.js';

/** Options of {@link BazaarMarketChannel}. */
export interface BazaarMarketChannelOptions {
  /**
   * When a flow asks for results now (`updateOrders({ isSync: true })`), how many times to poll the job
   * Bazaar answers with before handing it to `getOrderBatchRequests` instead. Default 3.
   */
  syncPolls?: number;
  /** Milliseconds between those polls. Default 1000. */
  syncPollInterval?: number;
}

/** A report of one Bazaar call, for Sales Channel Logs. */
function report(rawRequest: string, answer: unknown, isOk = true): ChannelReport {
  return { isOk, message: `${rawRequest} answered`, rawRequest, rawResponse: JSON.stringify(answer) };
}

/**
 * Walks a cursor-paged Bazaar list, page by page, so a long feed is never held whole. Each item comes
 * with the report of the call that brought it.
 */
async function* paged<K extends string, T>(
  key: K,
  path: string,
  fetchPage: (cursor: string | null) => Promise<BazaarPage<K, T>>,
): AsyncGenerator<{ raw: T; reports: ChannelReport[] }> {
  let cursor: string | null = null;
  do {
    const page: BazaarPage<K, T> = await fetchPage(cursor);
    const rawRequest = `GET ${path}?cursor=${cursor ?? ''}`;
    for (const raw of page[key] as T[]) yield { raw, reports: [report(rawRequest, raw)] };
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/**
 * The channel adapter for Bazaar Market. Bazaar differs from most marketplaces in three ways this class
 * absorbs: it pages by cursor, it keeps status per order line rather than per order (so order updates
 * are pushed line by line), and it takes those updates as an asynchronous job to poll.
 */
export class BazaarMarketChannel extends ChannelIntegration {
  private readonly syncPolls: number;
  private readonly syncPollInterval: number;

  /** Talks to Bazaar through `api` (an HTTP client in production, `FakeBazaarApi` in tests). */
  constructor(
    private readonly api: BazaarApi,
    options: BazaarMarketChannelOptions = {},
  ) {
    super();
    this.syncPolls = options.syncPolls ?? 3;
    this.syncPollInterval = options.syncPollInterval ?? 1000;
  }

  /** Orders Bazaar has not had acknowledged; it offers them until {@link acknowledgeOrders} runs. */
  async *getOrders({ signal }: ChannelCallContext) {
    for await (const { raw, reports } of paged('orders', '/orders', (c) => this.api.listOrders(c, signal))) {
      yield { data: toChannelOrder(raw), reports };
    }
  }

  /**
   * Every order placed in the window, acknowledged or not, with its lines' statuses now: what
   * `reconcileOrders` compares with Omnitron.
   */
  override async *listOrders({ since, until, signal }: ListOrdersInput) {
    const window = { from: since.toISOString(), to: until.toISOString() };
    const path = `/orders/search?from=${window.from}&to=${window.to}`;
    for await (const { raw, reports } of paged('orders', path, (c) =>
      this.api.searchOrders(window, c, signal),
    )) {
      yield { data: toListedOrder(raw), reports };
    }
  }

  /** Tells Bazaar to stop offering orders Omnitron has; Bazaar takes a repeated acknowledgement calmly. */
  override async acknowledgeOrders({ orders, signal }: AcknowledgeOrdersInput): Promise<void> {
    await this.api.acknowledgeOrders(
      orders.map((o) => o.remoteId),
      signal,
    );
  }

  /**
   * Pushes each order's lines to Bazaar as one job. Bazaar always answers later; when the flow wants the
   * results now, the job is polled a few times before it is left to {@link checkOrders}.
   */
  async sendUpdatedOrders({
    orders,
    isSync,
    signal,
  }: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
    const updates = orders.flatMap(toLineUpdates);
    const { jobId } = await this.api.pushLineUpdates(updates, signal);
    const reports = [report('POST /line-updates', { jobId, lines: updates.length })];
    if (isSync) {
      for (let poll = 1; poll <= this.syncPolls; poll += 1) {
        const job = await this.api.getJob(jobId, signal);
        reports.push(report(`GET /jobs/${jobId}`, job));
        if (job.state === 'COMPLETED')
          return { status: 'done', results: toOrderResults(job, orders), reports };
        if (poll < this.syncPolls) await wait(this.syncPollInterval, undefined, { signal });
      }
    }
    return { status: 'sent_to_remote', remoteBatchId: jobId, reports };
  }

  /** Asks Bazaar how a line-update job went. */
  override async checkOrders({
    remoteBatchId,
    orders,
    signal,
  }: CheckOrdersInput): Promise<CheckOrdersResult> {
    const job: BazaarJob = await this.api.getJob(remoteBatchId, signal);
    const reports = [report(`GET /jobs/${remoteBatchId}`, job)];
    if (job.state !== 'COMPLETED') return { status: 'ongoing', reports };
    return { status: 'done', results: toOrderResults(job, orders), reports };
  }

  /** Lines the seller or Bazaar cancelled. */
  override async *getCancelledOrders({ signal }: ChannelCallContext) {
    const pages = paged('cancellations', '/cancellations', (c) => this.api.listCancellations(c, signal));
    for await (const { raw, reports } of pages) yield { data: toCancelOrder(raw), reports };
  }

  /**
   * Tells Bazaar which cancellations Omnitron applied and which it could not (an unknown line, a quantity
   * over what is left), so Bazaar shows the seller the failures; called once the run's batch is done.
   */
  override async acknowledgeCancels({ applied, failed, signal }: AcknowledgeItemsInput): Promise<void> {
    const id = (item: { remoteId?: string; key: string }) => item.remoteId ?? item.key;
    await this.api.acknowledgeCancellations(
      {
        applied: applied.map(id),
        failed: failed.map((item) => ({ cancellationId: id(item), reason: `${item.code}: ${item.message}` })),
      },
      signal,
    );
  }

  /** Line status and tracking changes (a carrier scanned a parcel). */
  override async *getUpdatedOrderItems({ signal }: ChannelCallContext) {
    for await (const { raw, reports } of paged('events', '/line-events', (c) =>
      this.api.listLineEvents(c, signal),
    )) {
      yield { data: toOrderItemUpdate(raw), reports };
    }
  }

  /** Return and cancel requests, each for some units of one line. */
  override async *getCancellationRequests({ signal }: ChannelCallContext) {
    for await (const { raw, reports } of paged('returns', '/returns', (c) =>
      this.api.listReturns(c, signal),
    )) {
      yield { data: toCancellationRequest(raw), reports };
    }
  }

  /**
   * Sends the merchant's decision on one unit of a request. A status Bazaar has no decision for (the
   * request is still open) needs no call: it is answered as taken, so it is not offered again.
   */
  override async updateCancellationRequest({
    request,
    signal,
  }: UpdateCancellationRequestInput): Promise<UpdateCancellationRequestResult> {
    const decision = toReturnDecision(request);
    if (!decision)
      return { status: 'SUCCESS', message: `nothing to tell Bazaar about status ${request.status}` };
    const rawRequest = `POST /returns/${request.remoteId}/decisions ${JSON.stringify(decision)}`;
    const answer = await this.api.decideReturn(request.remoteId, decision, signal);
    const reports = [report(rawRequest, answer, answer.ok)];
    return answer.ok
      ? { status: 'SUCCESS', reports }
      : { status: 'FAIL', message: answer.error ?? 'refused', reports };
  }
}
