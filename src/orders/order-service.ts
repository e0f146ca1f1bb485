import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import { fetchAndCreateCancellationRequests } from './cancellation-requests/fetch-and-create-cancellation-requests.js';
import { updateCancellationRequests } from './cancellation-requests/update-cancellation-requests.js';
import { createCancel } from './cancels/create-cancel.js';
import { fetchAndCreateCancel } from './cancels/fetch-and-create-cancel.js';
import {
  type FlowOptions,
  type ImportOrdersOptions,
  type ReconcileOrdersOptions,
  resolveFlowOptions,
  type StreamFlowOptions,
  type UpdateCancellationRequestsOptions,
  type UpdateOrdersOptions,
} from './flow-options.js';
import type { FlowResult } from './flow-result.js';
import { createOrders } from './import/create-order.js';
import { fetchAndCreateOrder } from './import/fetch-and-create-order.js';
import { SharedImportCache } from './import/import-cache.js';
import { fetchAndUpdateOrderItems } from './item-updates/fetch-and-update-order-items.js';
import { reconcileOrders } from './reconcile/reconcile-orders.js';
import type { ReconcileOrdersResult } from './reconcile/reconcile-result.js';
import type { FlowDependencies } from './run/run-context.js';
import { type OrderServiceOptions, resolveServiceOptions } from './service-options.js';
import { getOrderBatchRequests } from './updates/get-order-batch-requests.js';
import { updateOrders } from './updates/update-orders.js';

/**
 * The order flows between a marketplace and Omnitron. Each flow creates (or polls) Omnitron batch
 * requests, writes error reports for every problem, and returns a {@link FlowResult} with one outcome per
 * item. A bad item never stops the others; a failure of the run itself (Omnitron refusing the batch,
 * the adapter's stream breaking, an abort) closes the batch as `fail` and throws a typed error.
 *
 * Every flow can be run again safely: orders, cancellations and cancellation requests already in Omnitron
 * are recognised, never created twice.
 *
 * @example
 * ```ts
 * const service = new OrderService({ omnitron, channel: new MyMarketplace(), logger: pino() });
 * const result = await service.fetchAndCreateOrder({ isSuccessLog: true });
 * console.log(result.counts); // { fetched: 12, created: 10, updated: 0, skipped: 1, failed: 1 }
 * ```
 *
 * @group Flows
 */
export class OrderService {
  readonly #deps: FlowDependencies;

  /** What runs of orders given by the caller (`createOrder`, `createOrders`) learn and share. */
  readonly #givenOrders: SharedImportCache;

  constructor(options: OrderServiceOptions) {
    this.#deps = resolveServiceOptions(options);
    this.#givenOrders = new SharedImportCache(this.#deps.omnitron, this.#deps.lock);
  }

  /**
   * Fetches new orders from the marketplace (`getOrders`) and creates each in Omnitron: customer,
   * shipping and billing address, cargo company, then the order. Orders Omnitron confirmed are
   * acknowledged on the marketplace as soon as their chunk's batch request is `done` (50 orders by
   * default), if the channel supports it.
   */
  fetchAndCreateOrder(options: ImportOrdersOptions = {}): Promise<FlowResult> {
    return start(() =>
      fetchAndCreateOrder(
        this.#deps,
        resolveFlowOptions.importOrders('fetchAndCreateOrder', options, this.#deps),
      ),
    );
  }

  /**
   * Creates one order given directly (from a webhook, say) under its own batch request. It is validated
   * like a fetched one; an invalid order is a `failed` outcome, not an exception.
   */
  createOrder(order: ChannelOrderInput, options: ImportOrdersOptions = {}): Promise<FlowResult> {
    return start(() =>
      createOrders(
        this.#deps,
        [order],
        resolveFlowOptions.importOrders('createOrder', options, this.#deps),
        this.#givenOrders,
      ),
    );
  }

  /**
   * Creates orders given directly (a webhook worker's gathered jobs, say) in one run of the `createOrder`
   * flow, imported exactly as `fetchAndCreateOrder` imports its orders: looked up a chunk at a time,
   * committed every `commitEvery`, a batch request per `batchSize`. Each is validated like a fetched one;
   * an invalid order is a `failed` outcome, not an exception. Nothing is acknowledged. Consecutive runs
   * share what they learned of customers, addresses and products for up to a minute.
   */
  createOrders(orders: readonly ChannelOrderInput[], options: ImportOrdersOptions = {}): Promise<FlowResult> {
    return start(() =>
      createOrders(
        this.#deps,
        orders,
        resolveFlowOptions.importOrders('createOrder', options, this.#deps),
        this.#givenOrders,
      ),
    );
  }

  /** Sends orders changed in Omnitron to the marketplace, synchronously or asynchronously (`isSync`). */
  updateOrders(options: UpdateOrdersOptions = {}): Promise<FlowResult> {
    return start(() =>
      updateOrders(this.#deps, resolveFlowOptions.updateOrders('updateOrders', options, this.#deps)),
    );
  }

  /** Polls the marketplace for asynchronous order updates and finishes their batch requests. */
  getOrderBatchRequests(options: FlowOptions = {}): Promise<FlowResult> {
    return start(() =>
      getOrderBatchRequests(
        this.#deps,
        resolveFlowOptions.flow('getOrderBatchRequests', options, this.#deps),
      ),
    );
  }

  /** Fetches cancellations from the marketplace (`getCancelledOrders`) and cancels the items in Omnitron. */
  fetchAndCreateCancel(options: StreamFlowOptions = {}): Promise<FlowResult> {
    return start(() =>
      fetchAndCreateCancel(
        this.#deps,
        resolveFlowOptions.streams('fetchAndCreateCancel', options, this.#deps),
      ),
    );
  }

  /** Cancels one order given directly, under its own batch request. */
  createCancel(cancel: CancelOrderInput, options: StreamFlowOptions = {}): Promise<FlowResult> {
    return start(() =>
      createCancel(this.#deps, cancel, resolveFlowOptions.streams('createCancel', options, this.#deps)),
    );
  }

  /** Fetches order-line changes (status, invoice, tracking) from the marketplace and applies them in Omnitron. */
  fetchAndUpdateOrderItems(options: StreamFlowOptions = {}): Promise<FlowResult> {
    return start(() =>
      fetchAndUpdateOrderItems(
        this.#deps,
        resolveFlowOptions.streams('fetchAndUpdateOrderItems', options, this.#deps),
      ),
    );
  }

  /** Fetches cancellation and return requests from the marketplace and creates them in Omnitron. */
  fetchAndCreateCancellationRequests(options: StreamFlowOptions = {}): Promise<FlowResult> {
    return start(() =>
      fetchAndCreateCancellationRequests(
        this.#deps,
        resolveFlowOptions.streams('fetchAndCreateCancellationRequests', options, this.#deps),
      ),
    );
  }

  /** Sends cancellation requests that changed in Omnitron to the marketplace. */
  updateCancellationRequests(options: UpdateCancellationRequestsOptions = {}): Promise<FlowResult> {
    return start(() =>
      updateCancellationRequests(
        this.#deps,
        resolveFlowOptions.updateCancellationRequests('updateCancellationRequests', options, this.#deps),
      ),
    );
  }

  /**
   * Compares the marketplace's orders of a time window (`listOrders`; by default the last two days) with
   * Omnitron's: imports those Omnitron lacks, sends again statuses the marketplace never received, and
   * reports every other difference (amounts, lines, statuses) as an error report naming the order. Run it
   * hourly to catch what the other flows missed; `result.reconciliation` has the counts.
   */
  reconcileOrders(options: ReconcileOrdersOptions = {}): Promise<ReconcileOrdersResult> {
    return start(() =>
      reconcileOrders(this.#deps, resolveFlowOptions.reconcileOrders('reconcileOrders', options, this.#deps)),
    );
  }
}

/** Runs a flow, turning a throw before it starts (its options refused) into a rejection like any other. */
function start<R extends FlowResult>(flow: () => Promise<R>): Promise<R> {
  try {
    return flow();
  } catch (error) {
    return Promise.reject(error);
  }
}
