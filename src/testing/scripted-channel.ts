import type { ChannelReport } from '../dto/error-report.js';
import type { OrderBatchResultInput } from '../dto/order-batch-result.js';
import {
  type AcknowledgedOrder,
  type AcknowledgeItemsInput,
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelItem,
  type ChannelOperation,
  type CheckOrdersInput,
  type CheckOrdersResult,
  type ItemAcknowledgement,
  type ListOrdersInput,
  type SendUpdatedOrdersInput,
  type SendUpdatedOrdersResult,
  type UpdateCancellationRequestInput,
  type UpdateCancellationRequestResult,
} from '../integrations/channel-integration.js';

/** What a {@link ScriptedChannel} answers. Arrays hold the raw data it yields and may be changed between runs. */
export interface ChannelScript {
  /** New orders; they are offered again on every run until acknowledged (matched by `remoteId`). */
  orders?: unknown[];
  /** Cancellations to yield. */
  cancelledOrders?: unknown[];
  /** Order line changes to yield. */
  updatedOrderItems?: unknown[];
  /** Cancellation requests to yield. */
  cancellationRequests?: unknown[];
  /** Reports to attach to a yielded item. */
  reportsFor?: (data: unknown, index: number) => ChannelReport[] | undefined;
  /** The answer to `sendUpdatedOrders`; by default every order `SUCCESS`, synchronously. */
  sendUpdatedOrders?: (
    input: SendUpdatedOrdersInput,
  ) => SendUpdatedOrdersResult | Promise<SendUpdatedOrdersResult>;
  /** The answer to `checkOrders`; by default every order `SUCCESS`. */
  checkOrders?: (input: CheckOrdersInput) => CheckOrdersResult | Promise<CheckOrdersResult>;
  /** The answer to `updateCancellationRequest`; by default `SUCCESS`. */
  updateCancellationRequest?: (
    input: UpdateCancellationRequestInput,
  ) => UpdateCancellationRequestResult | Promise<UpdateCancellationRequestResult>;
  /**
   * The marketplace's orders that `listOrders` lists, whatever the window asked (filter them yourself in
   * the test if it matters). Left out, the channel does not support `listOrders`.
   */
  listedOrders?: unknown[];
  /** Throw from the order stream after yielding this many orders (a marketplace outage mid-run). */
  failOrdersAfter?: number;
  /**
   * Whether the marketplace supports acknowledging orders (default `true`). Without it, every run offers
   * every order again, like a marketplace read by time window.
   */
  acknowledges?: boolean;
  /**
   * Whether the marketplace wants to hear what became of cancellations, line changes and cancellation
   * requests (`acknowledgeCancels` and the like; default `true`).
   */
  acknowledgesItems?: boolean;
}

/**
 * A marketplace that answers from a script, for testing flows and the SDK itself. It records every call:
 * what was sent, checked, updated and acknowledged.
 */
export class ScriptedChannel extends ChannelIntegration {
  /** What it answers; change it between runs. */
  readonly script: ChannelScript;
  /** Inputs of every `sendUpdatedOrders` call. */
  readonly sent: SendUpdatedOrdersInput[] = [];
  /** Inputs of every `checkOrders` call. */
  readonly checked: CheckOrdersInput[] = [];
  /** Inputs of every `updateCancellationRequest` call. */
  readonly cancellationUpdates: UpdateCancellationRequestInput[] = [];
  /** Every order acknowledged, in order. */
  readonly acknowledged: AcknowledgedOrder[] = [];
  /** Inputs of every `listOrders` call (the windows asked for). */
  readonly listings: ListOrdersInput[] = [];
  /** Every call of `acknowledgeCancels`, `acknowledgeOrderItemUpdates` and `acknowledgeCancellationRequests`, in order. */
  readonly itemAcknowledgements: {
    /** Which acknowledge method was called. */
    operation: ItemAcknowledgement;
    /** What it was given. */
    input: AcknowledgeItemsInput;
  }[] = [];

  constructor(script: ChannelScript = {}) {
    super();
    this.script = script;
  }

  override async *getOrders(_context: ChannelCallContext): AsyncIterable<ChannelItem<never>> {
    const acked = new Set<unknown>(this.acknowledged.map((o) => o.remoteId));
    const offered = (this.script.orders ?? []).filter((o) => !acked.has(remoteIdOf(o)));
    for (const [index, data] of offered.entries()) {
      if (this.script.failOrdersAfter !== undefined && index >= this.script.failOrdersAfter) {
        throw new Error('marketplace answered 502 Bad Gateway');
      }
      yield this.#item(data, index);
    }
  }

  override async *listOrders(input: ListOrdersInput): AsyncIterable<ChannelItem<never>> {
    this.listings.push(input);
    for (const [index, data] of (this.script.listedOrders ?? []).entries()) yield this.#item(data, index);
  }

  override async *getCancelledOrders(): AsyncIterable<ChannelItem<never>> {
    for (const [index, data] of (this.script.cancelledOrders ?? []).entries()) yield this.#item(data, index);
  }

  override async *getUpdatedOrderItems(): AsyncIterable<ChannelItem<never>> {
    for (const [index, data] of (this.script.updatedOrderItems ?? []).entries())
      yield this.#item(data, index);
  }

  override async *getCancellationRequests(): AsyncIterable<ChannelItem<never>> {
    for (const [index, data] of (this.script.cancellationRequests ?? []).entries())
      yield this.#item(data, index);
  }

  override async sendUpdatedOrders(input: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult> {
    this.sent.push(input);
    if (this.script.sendUpdatedOrders) return this.script.sendUpdatedOrders(input);
    return { status: 'done', results: allSucceeded(input.orders) };
  }

  override async checkOrders(input: CheckOrdersInput): Promise<CheckOrdersResult> {
    this.checked.push(input);
    if (this.script.checkOrders) return this.script.checkOrders(input);
    return { status: 'done', results: allSucceeded(input.orders) };
  }

  override async updateCancellationRequest(
    input: UpdateCancellationRequestInput,
  ): Promise<UpdateCancellationRequestResult> {
    this.cancellationUpdates.push(input);
    if (this.script.updateCancellationRequest) return this.script.updateCancellationRequest(input);
    return { status: 'SUCCESS' };
  }

  override async acknowledgeOrders(input: AcknowledgeOrdersInput): Promise<void> {
    this.acknowledged.push(...input.orders);
  }

  /** Records the call in {@link ScriptedChannel.itemAcknowledgements}. */
  override async acknowledgeCancels(input: AcknowledgeItemsInput): Promise<void> {
    this.itemAcknowledgements.push({ operation: 'acknowledgeCancels', input });
  }

  /** Records the call in {@link ScriptedChannel.itemAcknowledgements}. */
  override async acknowledgeOrderItemUpdates(input: AcknowledgeItemsInput): Promise<void> {
    this.itemAcknowledgements.push({ operation: 'acknowledgeOrderItemUpdates', input });
  }

  /** Records the call in {@link ScriptedChannel.itemAcknowledgements}. */
  override async acknowledgeCancellationRequests(input: AcknowledgeItemsInput): Promise<void> {
    this.itemAcknowledgements.push({ operation: 'acknowledgeCancellationRequests', input });
  }

  override supports(operation: ChannelOperation): boolean {
    if (operation === 'acknowledgeOrders' && this.script.acknowledges === false) return false;
    if (operation === 'listOrders' && this.script.listedOrders === undefined) return false;
    if (operation.startsWith('acknowledge') && operation !== 'acknowledgeOrders')
      return this.script.acknowledgesItems !== false && super.supports(operation);
    return super.supports(operation);
  }

  #item(data: unknown, index: number): ChannelItem<never> {
    const reports = this.script.reportsFor?.(data, index);
    return (reports ? { data, reports } : { data }) as ChannelItem<never>;
  }
}

/** A `SUCCESS` result for every order, named by its remote id. */
export function allSucceeded(orders: SendUpdatedOrdersInput['orders']): OrderBatchResultInput[] {
  return orders.map(({ order, remoteId }) => ({
    status: 'SUCCESS' as const,
    number: remoteId ?? order.number,
    remoteId: `U-${order.id}`,
  }));
}

function remoteIdOf(data: unknown): unknown {
  return data !== null && typeof data === 'object' ? (data as { remoteId?: unknown }).remoteId : undefined;
}
