import {
  type AcknowledgeOrdersInput,
  type CancelOrderInput,
  type ChannelCallContext,
  type ChannelCancellationRequestInput,
  ChannelIntegration,
  type ChannelItem,
  type ChannelOrderInput,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type OrderItemUpdateInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from '../src/index.js';

/**
 * The channel adapter of the soak's marketplace, as a worker process runs it: every call goes over HTTP to
 * the marketplace the soak's process holds. Orders are named by their marketplace id (`remoteId`).
 */
export class SoakMarketplaceChannel extends ChannelIntegration {
  readonly #url: string;

  constructor(url: string) {
    super();
    this.#url = url;
  }

  override get name(): string {
    return 'Soak marketplace';
  }

  async #call<T>(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#url}${path}`, {
      method,
      signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]),
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`marketplace answered ${response.status} to ${method} ${path}`);
    return (await response.json()) as T;
  }

  override async *getOrders({ signal }: ChannelCallContext): AsyncIterable<ChannelItem<ChannelOrderInput>> {
    for (const data of await this.#call<ChannelOrderInput[]>('GET', '/orders', signal)) yield { data };
  }

  override async acknowledgeOrders({ orders, signal }: AcknowledgeOrdersInput): Promise<void> {
    await this.#call('POST', '/orders/acknowledge', signal, { remoteIds: orders.map((o) => o.remoteId) });
  }

  override sendUpdatedOrders({ orders, signal }: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
    const updates = orders.map(({ order, remoteId }) => ({
      orderId: remoteId ?? order.number,
      status: order.status,
    }));
    return this.#call('POST', '/statuses', signal, { updates });
  }

  override checkOrders({ remoteBatchId, signal }: CheckOrdersInput): Promise<CheckOrdersResult> {
    return this.#call('GET', `/jobs/${encodeURIComponent(remoteBatchId)}`, signal);
  }

  override async *getCancelledOrders({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<CancelOrderInput>> {
    for (const data of await this.#call<CancelOrderInput[]>('GET', '/cancels', signal)) yield { data };
  }

  override async *getUpdatedOrderItems({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<OrderItemUpdateInput>> {
    for (const data of await this.#call<OrderItemUpdateInput[]>('GET', '/line-updates', signal))
      yield { data };
  }

  override async *getCancellationRequests({
    signal,
  }: ChannelCallContext): AsyncIterable<ChannelItem<ChannelCancellationRequestInput>> {
    for (const data of await this.#call<ChannelCancellationRequestInput[]>('GET', '/claims', signal))
      yield { data };
  }

  override async updateCancellationRequest({
    request,
    signal,
  }: UpdateCancellationRequestInput): Promise<UpdateCancellationRequestResult> {
    await this.#call('POST', '/claims/update', signal, {
      remoteId: request.remoteId,
      unit: request.unit,
      status: request.status,
    });
    return { status: 'SUCCESS' };
  }
}
