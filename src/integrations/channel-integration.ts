import type { BatchRequest } from '../dto/batch-request.js';
import type {
  CancellationRequestUpdateResultInput,
  CancelOrderInput,
  ChannelCancellationRequestInput,
  ChannelCancellationRequestUpdate,
} from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import type { ChannelReport } from '../dto/error-report.js';
import type { Order, OrderItem } from '../dto/order.js';
import type { OrderBatchResultInput } from '../dto/order-batch-result.js';
import type { OrderItemUpdateInput } from '../dto/order-item-update.js';
import { NotSupportedError } from '../errors/channel-errors.js';
import { brandClass, isInstanceAcrossBuilds } from '../foundation/brand.js';
import type { Logger } from '../foundation/logger.js';

/**
 * What every channel method receives besides its own data.
 *
 * @group Adapters
 */
export interface ChannelCallContext {
  /** The batch request of the running flow; its `localBatchId` is handy for marketplace correlation ids. */
  batchRequest: BatchRequest;
  /** Aborted when the caller stops the flow: pass it to your HTTP client. */
  signal: AbortSignal;
  /** The flow's logger. */
  logger: Logger;
}

/**
 * One item a channel stream yields: the marketplace data, mapped to the SDK's shape, and optionally the
 * reports of the marketplace calls that produced it (they appear in Sales Channel Logs).
 *
 * @group Adapters
 */
export interface ChannelItem<T> {
  /** The item. It is validated before the flow uses it; an invalid item fails alone. */
  data: T;
  /** Reports of the marketplace calls behind this item. */
  reports?: ChannelReport[];
}

/**
 * An Omnitron order whose changes the marketplace should learn, with the ids the marketplace knows.
 *
 * @group Adapters
 */
export interface OrderToSend {
  /** The Omnitron order. */
  order: Order;
  /** The marketplace's id of the order (from its import), or `null` if Omnitron has none. */
  remoteId: string | null;
  /** The order's items. */
  items: OrderItem[];
}

/**
 * Input of {@link ChannelIntegration.sendUpdatedOrders}.
 *
 * @group Adapters
 */
export interface SendUpdatedOrdersInput extends ChannelCallContext {
  /** The orders, as the flow has them. */
  orders: OrderToSend[];
  /** `true` when the caller wants the results now; `false` when the marketplace may answer later. */
  isSync: boolean;
}

/**
 * What the marketplace answered to an order update: results now, or a job id to poll.
 *
 * @group Adapters
 */
export type SendUpdatedOrdersResult =
  | {
      /** The marketplace answered for every order now. */
      status: 'done';
      /** One result per order. */
      results: OrderBatchResultInput[];
      /** Reports of the marketplace calls behind the answer. */
      reports?: ChannelReport[];
    }
  | {
      /** The marketplace will answer later: poll it with `checkOrders`. */
      status: 'sent_to_remote';
      /** The marketplace's job id. */
      remoteBatchId: string;
      /** Reports of the marketplace calls behind the answer. */
      reports?: ChannelReport[];
    };

/**
 * Input of {@link ChannelIntegration.checkOrders}.
 *
 * @group Adapters
 */
export interface CheckOrdersInput extends ChannelCallContext {
  /** The marketplace's job id returned by `sendUpdatedOrders`. */
  remoteBatchId: string;
  /** The orders that were sent in that job. */
  orders: OrderToSend[];
}

/**
 * Where an asynchronous order update stands.
 *
 * @group Adapters
 */
export type CheckOrdersResult =
  | {
      /** Still working: the batch is polled again next run. */
      status: 'ongoing';
      /** Reports of the marketplace calls behind the answer. */
      reports?: ChannelReport[];
    }
  | {
      /** Finished. */
      status: 'done';
      /** One result per order. */
      results: OrderBatchResultInput[];
      /** Reports of the marketplace calls behind the answer. */
      reports?: ChannelReport[];
    };

/**
 * Input of {@link ChannelIntegration.updateCancellationRequest}.
 *
 * @group Adapters
 */
export interface UpdateCancellationRequestInput extends ChannelCallContext {
  /** The changed request, in the marketplace's terms. */
  request: ChannelCancellationRequestUpdate;
}

/**
 * The marketplace's answer to a cancellation request update.
 *
 * @group Adapters
 */
export type UpdateCancellationRequestResult = CancellationRequestUpdateResultInput & {
  /** Reports of the marketplace calls behind the answer. */
  reports?: ChannelReport[];
};

/**
 * An order Omnitron has confirmed, to acknowledge on the marketplace.
 *
 * @group Adapters
 */
export interface AcknowledgedOrder {
  /** The marketplace's id of the order. */
  remoteId: string;
  /** The order number. */
  number: string;
  /** Omnitron's id of the order. */
  omnitronId: number;
}

/**
 * Input of {@link ChannelIntegration.acknowledgeOrders}.
 *
 * @group Adapters
 */
export interface AcknowledgeOrdersInput extends ChannelCallContext {
  /** The orders, as the flow has them. */
  orders: AcknowledgedOrder[];
}

/**
 * Input of {@link ChannelIntegration.listOrders}: the time window to list, besides the usual context.
 *
 * @group Adapters
 */
export interface ListOrdersInput extends ChannelCallContext {
  /** The start of the window (inclusive). */
  since: Date;
  /** The end of the window (exclusive). */
  until: Date;
}

/**
 * One item of a marketplace stream (a cancellation, a line change, a cancellation request) that a flow
 * applied in Omnitron, for the stream's acknowledge method.
 *
 * @group Adapters
 */
export interface AcknowledgedItem {
  /** The item's key in the flow's result: its order number or marketplace id, or `#<position>` without one. */
  key: string;
  /** The marketplace's id of the item as the adapter gave it, when it had a readable one. */
  remoteId?: string;
  /** What the flow did: `created`, `updated`, or nothing needed (`already_present`, `unchanged`). */
  status: 'created' | 'updated' | 'already_present' | 'unchanged';
  /** Omnitron's id of what it changed or found (the order, the line's first unit, the request). */
  omnitronId?: number;
}

/**
 * One item of a marketplace stream that a flow could not apply, and why, for the stream's acknowledge
 * method. The same failure is in the error reports and in the flow's result.
 *
 * @group Adapters
 */
export interface RejectedItem {
  /** The item's key in the flow's result. */
  key: string;
  /** The marketplace's id of the item as the adapter gave it, when it had a readable one. */
  remoteId?: string;
  /** The error's `code`, such as `MAPPING_NOT_FOUND` or `INVALID_PAYLOAD`. */
  code: string;
  /** What went wrong, with secrets redacted. */
  message: string;
}

/**
 * Input of {@link ChannelIntegration.acknowledgeCancels}, {@link ChannelIntegration.acknowledgeOrderItemUpdates}
 * and {@link ChannelIntegration.acknowledgeCancellationRequests}: what became of the stream's items, in the
 * order the stream yielded them, at most 100 of both kinds together per call.
 *
 * @group Adapters
 */
export interface AcknowledgeItemsInput extends ChannelCallContext {
  /** Items applied in Omnitron, or found already applied. */
  applied: AcknowledgedItem[];
  /** Items that failed, with why. */
  failed: RejectedItem[];
}

/**
 * The operations a channel may implement; the flows check {@link ChannelIntegration.supports} first.
 *
 * @group Adapters
 */
export type ChannelOperation =
  | 'getOrders'
  | 'sendUpdatedOrders'
  | 'checkOrders'
  | 'getCancelledOrders'
  | 'getUpdatedOrderItems'
  | 'getCancellationRequests'
  | 'updateCancellationRequest'
  | 'acknowledgeOrders'
  | 'listOrders'
  | ItemAcknowledgement;

/**
 * The optional methods that tell the marketplace what became of a stream's items (see
 * {@link ChannelIntegration.acknowledgeCancels}).
 *
 * @group Adapters
 */
export type ItemAcknowledgement =
  | 'acknowledgeCancels'
  | 'acknowledgeOrderItemUpdates'
  | 'acknowledgeCancellationRequests';

/**
 * The marketplace side of a channel app: subclass it for your marketplace. Implement `getOrders` and
 * `sendUpdatedOrders`; override the other methods your marketplace supports. Each method gets one input
 * object with its data plus `batchRequest`, `signal` and `logger`.
 *
 * Streams (`getOrders`, `getCancelledOrders`, …) are async iterables: yield items as you page through the
 * marketplace, so nothing holds them all. What you yield is validated by the flow; a bad item becomes an
 * error report and a failed outcome, and the others go on.
 *
 * @example
 * ```ts
 * class MyMarketplace extends ChannelIntegration {
 *   async *getOrders() {
 *     for await (const raw of this.api.pagedNewOrders()) yield { data: toChannelOrder(raw) };
 *   }
 *   async sendUpdatedOrders({ orders }) {
 *     const results = await this.api.pushStatuses(orders);
 *     return { status: 'done', results };
 *   }
 * }
 * ```
 *
 * @group Adapters
 */
export abstract class ChannelIntegration {
  static {
    brandClass(ChannelIntegration, 'ChannelIntegration');
  }

  /**
   * Makes `instanceof` recognise instances from both builds of the package (ESM and CommonJS), which a
   * program can load side by side: an adapter that extends the CommonJS `ChannelIntegration` is accepted by an `OrderService` imported as ESM, and the other way round. A subclass is checked as usual.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, often a subclass.
    return isInstanceAcrossBuilds(this, value);
  }

  /** A name for logs and messages; the class name by default. */
  get name(): string {
    return this.constructor.name;
  }

  /**
   * Yields the marketplace's new orders. Yield every order the marketplace has not had acknowledged yet
   * (or a time window that overlaps the previous run): orders already in Omnitron are recognised and
   * skipped, so overlap is safe, while a gap loses orders.
   */
  abstract getOrders(context: ChannelCallContext): AsyncIterable<ChannelItem<ChannelOrderInput>>;

  /**
   * Sends changed orders to the marketplace. Return `{ status: 'done', results }` with one result per
   * order, or `{ status: 'sent_to_remote', remoteBatchId }` when the marketplace answers later; then
   * implement {@link ChannelIntegration.checkOrders}.
   */
  abstract sendUpdatedOrders(input: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersResult>;

  /** Asks the marketplace how an asynchronous order update went. Optional. */
  checkOrders(_input: CheckOrdersInput): Promise<CheckOrdersResult> {
    return Promise.reject(this.notSupported('checkOrders'));
  }

  /** Yields cancellations made on the marketplace. Optional. */
  getCancelledOrders(_context: ChannelCallContext): AsyncIterable<ChannelItem<CancelOrderInput>> {
    throw this.notSupported('getCancelledOrders');
  }

  /** Yields order lines whose status, invoice or tracking changed on the marketplace. Optional. */
  getUpdatedOrderItems(_context: ChannelCallContext): AsyncIterable<ChannelItem<OrderItemUpdateInput>> {
    throw this.notSupported('getUpdatedOrderItems');
  }

  /** Yields cancellation and return requests opened on the marketplace. Optional. */
  getCancellationRequests(
    _context: ChannelCallContext,
  ): AsyncIterable<ChannelItem<ChannelCancellationRequestInput>> {
    throw this.notSupported('getCancellationRequests');
  }

  /** Tells the marketplace that a cancellation request changed in Omnitron. Optional. */
  updateCancellationRequest(
    _input: UpdateCancellationRequestInput,
  ): Promise<UpdateCancellationRequestResult> {
    return Promise.reject(this.notSupported('updateCancellationRequest'));
  }

  /**
   * Tells the marketplace that orders are safely in Omnitron, so it stops offering them. Called only for
   * orders Omnitron confirmed, after their batch request is `done`. Optional: without it, `getOrders`
   * must rely on a time window.
   */
  acknowledgeOrders(_input: AcknowledgeOrdersInput): Promise<void> {
    return Promise.reject(this.notSupported('acknowledgeOrders'));
  }

  /**
   * Lists the marketplace's orders placed (or changed) within a time window, whatever their state and
   * whether acknowledged or not, a page at a time: yield each as you page. Each is a full order, as
   * `getOrders` yields it, so one Omnitron is missing can be imported. To let `reconcileOrders` compare
   * statuses too, set the order's `status` and each line's `status` to the marketplace's current status,
   * as Omnitron status codes; leave them out and statuses are not compared. Optional: only
   * `reconcileOrders` calls it.
   */
  listOrders(_input: ListOrdersInput): AsyncIterable<ChannelItem<ChannelOrderInput>> {
    throw this.notSupported('listOrders');
  }

  /**
   * Tells the marketplace what became of the cancellations `getCancelledOrders` yielded: which were
   * applied and which failed, and why, so a stream read with a cursor can move past the ones that are
   * safe and offer the others again. Called like {@link ChannelIntegration.acknowledgeOrders}: only after
   * the run's batch request is `done`, so the applied ones are safely in Omnitron, and a failure here
   * loses nothing (it is an error report; the run still succeeds). Also called by `createCancel`.
   * Optional.
   */
  acknowledgeCancels(_input: AcknowledgeItemsInput): Promise<void> {
    return Promise.reject(this.notSupported('acknowledgeCancels'));
  }

  /**
   * Tells the marketplace what became of the line changes `getUpdatedOrderItems` yielded; called as
   * {@link ChannelIntegration.acknowledgeCancels} is. Optional.
   */
  acknowledgeOrderItemUpdates(_input: AcknowledgeItemsInput): Promise<void> {
    return Promise.reject(this.notSupported('acknowledgeOrderItemUpdates'));
  }

  /**
   * Tells the marketplace what became of the requests `getCancellationRequests` yielded; called as
   * {@link ChannelIntegration.acknowledgeCancels} is. Optional.
   */
  acknowledgeCancellationRequests(_input: AcknowledgeItemsInput): Promise<void> {
    return Promise.reject(this.notSupported('acknowledgeCancellationRequests'));
  }

  /** Whether this channel implements an operation (overrides the default). */
  supports(operation: ChannelOperation): boolean {
    const base = ChannelIntegration.prototype as unknown as Record<string, unknown>;
    const own = (this as unknown as Record<string, unknown>)[operation];
    return typeof own === 'function' && own !== base[operation];
  }

  /** The error an optional method throws when it is not overridden. */
  protected notSupported(operation: ChannelOperation): NotSupportedError {
    return new NotSupportedError(operation, this.name);
  }
}
