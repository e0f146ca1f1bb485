import {
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelItem,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type OrderBatchResultInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from 'channel-app-sdk';
import ky, { type KyInstance } from 'ky';
import {
  toCancellationRequest,
  toCancelOrder,
  toChannelOrder,
  toMarketStatus,
  toOrderItemUpdate,
} from './mapping.js';
import type {
  MarketCancellation,
  MarketClaim,
  MarketJob,
  MarketLineUpdate,
  MarketOrder,
  MarketStatusAnswer,
  MarketStatusResult,
  Page,
} from './marketplace-api.js';

/** How to reach the demo marketplace. */
export interface DemoMarketplaceChannelOptions {
  baseUrl: string;
  /** Sent as `X-Api-Key`. Pass it to `OrderService`'s `secrets` too, so it never reaches a log. */
  apiKey: string;
  /** Per request, in ms (default 10 000). */
  timeout?: number;
}

/**
 * The demo marketplace's channel adapter: the model to copy for a new marketplace. It pages through the
 * marketplace's lists lazily, maps its JSON to the SDK's shapes (see `mapping.ts`), and leaves validation,
 * batch requests, error reports and idempotency to the SDK.
 */
export class DemoMarketplaceChannel extends ChannelIntegration {
  readonly #api: KyInstance;

  constructor(options: DemoMarketplaceChannelOptions) {
    super();
    this.#api = ky.create({
      prefixUrl: `${options.baseUrl}/api/`,
      headers: { 'X-Api-Key': options.apiKey },
      timeout: options.timeout ?? 10_000,
      // GETs are retried on 5xx and timeouts; pushes (POST) are not, as a marketplace may apply them twice.
      retry: { limit: 2, retryOnTimeout: true, jitter: true },
    });
  }

  override get name(): string {
    return 'Demo marketplace';
  }

  /**
   * Every page of a marketplace list, fetched only when the flow wants the next item. Each item carries a
   * report of the page request that brought it (Sales Channel Logs show it with `isSuccessLog`).
   */
  async *#pages<T>(
    path: string,
    signal: AbortSignal,
  ): AsyncGenerator<{ item: T; report: { isOk: true; rawRequest: string; rawResponse: string } }> {
    for (let page: number | null = 1; page !== null; ) {
      const body: Page<T> = await this.#api.get(path, { searchParams: { page }, signal }).json();
      for (const item of body.items)
        yield {
          item,
          report: {
            isOk: true,
            rawRequest: `GET /api/${path}?page=${page}`,
            rawResponse: JSON.stringify(item),
          },
        };
      page = body.nextPage;
    }
  }

  override async *getOrders({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<ReturnType<typeof toChannelOrder>>> {
    for await (const { item, report } of this.#pages<MarketOrder>('orders', signal))
      yield { data: toChannelOrder(item), reports: [report] };
  }

  override async acknowledgeOrders({ orders, signal }: AcknowledgeOrdersInput): Promise<void> {
    await this.#api.post('orders/acknowledge', { json: { orderIds: orders.map((o) => o.remoteId) }, signal });
  }

  override async sendUpdatedOrders({
    orders,
    signal,
  }: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
    const updates = orders.map(({ order, remoteId }) => ({
      orderId: remoteId ?? order.number,
      status: toMarketStatus(order.status),
    }));
    const answer: MarketStatusAnswer = await this.#api
      .post('order-statuses', { json: { updates }, signal })
      .json();
    if ('jobId' in answer) return { status: 'sent_to_remote', remoteBatchId: answer.jobId };
    return { status: 'done', results: toResults(answer.results) };
  }

  override async checkOrders({ remoteBatchId, signal }: CheckOrdersInput): Promise<CheckOrdersResult> {
    const job: MarketJob = await this.#api
      .get(`jobs/${encodeURIComponent(remoteBatchId)}`, { signal })
      .json();
    return job.state === 'processing'
      ? { status: 'ongoing' }
      : { status: 'done', results: toResults(job.results) };
  }

  override async *getCancelledOrders({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<ReturnType<typeof toCancelOrder>>> {
    for await (const { item } of this.#pages<MarketCancellation>('cancellations', signal))
      yield { data: toCancelOrder(item) };
  }

  override async *getUpdatedOrderItems({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<ReturnType<typeof toOrderItemUpdate>>> {
    for await (const { item } of this.#pages<MarketLineUpdate>('line-updates', signal))
      yield { data: toOrderItemUpdate(item) };
  }

  override async *getCancellationRequests({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<ReturnType<typeof toCancellationRequest>>> {
    for await (const { item } of this.#pages<MarketClaim>('claims', signal))
      yield { data: toCancellationRequest(item) };
  }

  /** Accepted or completed requests are accepted on the marketplace, rejected ones rejected; others wait. */
  override async updateCancellationRequest({
    request,
    signal,
  }: UpdateCancellationRequestInput): Promise<UpdateCancellationRequestResult> {
    const decision = ['approved', 'completed', 'confirmed'].includes(request.status)
      ? 'accept'
      : request.status === 'rejected'
        ? 'reject'
        : null;
    if (decision === null)
      return { status: 'SUCCESS', message: `status ${request.status}: nothing to tell the marketplace yet` };
    await this.#api.post(`claims/${encodeURIComponent(request.remoteId)}/decision`, {
      json: { decision },
      signal,
    });
    return { status: 'SUCCESS' };
  }
}

/** The marketplace's per-order answers in the SDK's shape; orders are named by the id they were imported under. */
function toResults(results: MarketStatusResult[]): OrderBatchResultInput[] {
  return results.map((r) => ({
    number: r.orderId,
    status: r.accepted ? 'SUCCESS' : 'FAIL',
    message: r.error ?? '',
  }));
}
