import { z } from 'zod';
import { DEFAULT_COMMIT_LOCK_WAIT } from '../batch/batch-request-tracker.js';
import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import { ChannelIntegration } from '../integrations/channel-integration.js';
import { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { type KeyedLock, processKeyedLock } from '../locks/keyed-lock.js';
import { isLogger, type Logger, silentLogger } from '../reporting/logger.js';
import { SecretRedactor } from '../reporting/redact.js';
import { ChannelPort } from './channel-port.js';
import {
  DEFAULT_IMPORT_CONCURRENCY,
  type FlowOptions,
  FlowOptionsSchemas,
  type ImportOrdersOptions,
  type UpdateCancellationRequestsOptions,
  type UpdateOrdersOptions,
} from './flow-options.js';
import type { FlowResult } from './flow-result.js';
import { createCancel } from './flows/create-cancel.js';
import { createOrders } from './flows/create-order.js';
import { fetchAndCreateCancel } from './flows/fetch-and-create-cancel.js';
import { fetchAndCreateCancellationRequests } from './flows/fetch-and-create-cancellation-requests.js';
import { fetchAndCreateOrder } from './flows/fetch-and-create-order.js';
import { fetchAndUpdateOrderItems } from './flows/fetch-and-update-order-items.js';
import { getOrderBatchRequests } from './flows/get-order-batch-requests.js';
import { updateCancellationRequests } from './flows/update-cancellation-requests.js';
import { updateOrders } from './flows/update-orders.js';
import { SharedImportCache } from './import-cache.js';
import type { FlowDependencies } from './run/flow-run.js';

const OrderServiceOptionsSchema = z.strictObject({
  /** Where orders go: `OmnitronRestIntegration` in production, `InMemoryOmnitron` in tests. */
  // `z.instanceof` runs `instanceof`, which both classes' `[Symbol.hasInstance]` extends to the other build
  // (ESM or CommonJS) of the package: an adapter extending the CommonJS `ChannelIntegration` is accepted.
  omnitron: z.instanceof(OmnitronIntegration, {
    message: 'must be an OmnitronIntegration (such as OmnitronRestIntegration)',
  }),
  /** Your marketplace adapter: an instance of your `ChannelIntegration` subclass. */
  channel: z.instanceof(ChannelIntegration, {
    message: 'must be an instance of your ChannelIntegration subclass',
  }),
  /** A pino-compatible logger; silent by default. */
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  /** Default for every flow: also report successful steps (default `false`: failures only). */
  isSuccessLog: z.boolean().optional(),
  /** Orders imported at once by default (see {@link ImportOrdersOptions.concurrency}). */
  concurrency: z.number().int().min(1).max(256).optional(),
  /**
   * A batch request a stopped run left in `commit` (or `initialized`) for this long (ms, default 15
   * minutes) is closed as `fail` before the next flow of its content type starts, so it cannot block runs
   * forever nor pile up. Keep it above the longest run of any flow: the cancel and line-update flows keep
   * their batch `initialized` until they finish. `0` closes every such batch: use it only where no other
   * run of the channel can be live.
   */
  staleBatchAfter: z.number().int().nonnegative().optional(),
  /**
   * How long (ms, default 60 000) a run waits to commit while another batch request of its content type is
   * in `commit`: Omnitron lets one at a time commit, so a webhook's order beside a scheduled import, or a
   * cancel run beside either, take turns. Past this the run fails with the `BatchTransitionError`.
   */
  commitLockWait: z.number().int().nonnegative().optional(),
  /**
   * Secret values (marketplace API keys, passwords) to strip from every log line and error report, on top
   * of the secret-looking keys and `Authorization` values that are always stripped.
   */
  secrets: z.array(z.string()).optional(),
  /**
   * The lock that keeps overlapping runs (two services, a webhook's `createOrder` beside a scheduled
   * import) from creating the same order, customer or address twice (an order is looked up and created
   * under the lock of its number). Default: one lock shared by every
   * `OrderService` of this process. Where runs of one channel can overlap across processes, pass a
   * `RedisKeyedLock` (from `channel-app-sdk/scheduler`) to each of them.
   */
  lock: z
    .custom<KeyedLock>(
      (v) => typeof v === 'object' && v !== null && typeof (v as KeyedLock).withLock === 'function',
      { message: 'must have a withLock method (a KeyedLock)' },
    )
    .optional(),
});

/**
 * Options of {@link OrderService}.
 *
 * @interface
 *
 * @group Flows
 */
export type OrderServiceOptions = z.input<typeof OrderServiceOptionsSchema>;

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

  constructor(options: OrderServiceOptions) {
    const parsed = OrderServiceOptionsSchema.safeParse(options);
    if (!parsed.success) throw InvalidOptionsError.fromZod('OrderService', parsed.error);
    const redactor = new SecretRedactor(parsed.data.secrets);
    const lock = parsed.data.lock ?? processKeyedLock;
    this.#deps = {
      omnitron: parsed.data.omnitron,
      channel: new ChannelPort(parsed.data.channel, redactor),
      logger: parsed.data.logger ?? silentLogger,
      redactor,
      isSuccessLog: parsed.data.isSuccessLog ?? false,
      staleBatchAfter: parsed.data.staleBatchAfter ?? 15 * 60_000,
      commitLockWait: parsed.data.commitLockWait ?? DEFAULT_COMMIT_LOCK_WAIT,
      lock,
      givenOrders: new SharedImportCache(parsed.data.omnitron, lock),
      importConcurrency: parsed.data.concurrency ?? DEFAULT_IMPORT_CONCURRENCY,
    };
  }

  /**
   * Fetches new orders from the marketplace (`getOrders`) and creates each in Omnitron: customer,
   * shipping and billing address, cargo company, then the order. Orders Omnitron confirmed are
   * acknowledged on the marketplace as soon as their chunk's batch request is `done` (50 orders by
   * default), if the channel supports it.
   */
  fetchAndCreateOrder(options: ImportOrdersOptions = {}): Promise<FlowResult> {
    return (
      checked('fetchAndCreateOrder', FlowOptionsSchemas.importOrders, options) ??
      fetchAndCreateOrder(this.#deps, options)
    );
  }

  /**
   * Creates one order given directly (from a webhook, say) under its own batch request. It is validated
   * like a fetched one; an invalid order is a `failed` outcome, not an exception.
   */
  createOrder(order: ChannelOrderInput, options: ImportOrdersOptions = {}): Promise<FlowResult> {
    return (
      checked('createOrder', FlowOptionsSchemas.importOrders, options) ??
      createOrders(this.#deps, [order], options)
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
    return (
      checked('createOrder', FlowOptionsSchemas.importOrders, options) ??
      createOrders(this.#deps, orders, options)
    );
  }

  /** Sends orders changed in Omnitron to the marketplace, synchronously or asynchronously (`isSync`). */
  updateOrders(options: UpdateOrdersOptions = {}): Promise<FlowResult> {
    return (
      checked('updateOrders', FlowOptionsSchemas.updateOrders, options) ?? updateOrders(this.#deps, options)
    );
  }

  /** Polls the marketplace for asynchronous order updates and finishes their batch requests. */
  getOrderBatchRequests(options: FlowOptions = {}): Promise<FlowResult> {
    return (
      checked('getOrderBatchRequests', FlowOptionsSchemas.flow, options) ??
      getOrderBatchRequests(this.#deps, options)
    );
  }

  /** Fetches cancellations from the marketplace (`getCancelledOrders`) and cancels the items in Omnitron. */
  fetchAndCreateCancel(options: FlowOptions = {}): Promise<FlowResult> {
    return (
      checked('fetchAndCreateCancel', FlowOptionsSchemas.flow, options) ??
      fetchAndCreateCancel(this.#deps, options)
    );
  }

  /** Cancels one order given directly, under its own batch request. */
  createCancel(cancel: CancelOrderInput, options: FlowOptions = {}): Promise<FlowResult> {
    return (
      checked('createCancel', FlowOptionsSchemas.flow, options) ?? createCancel(this.#deps, cancel, options)
    );
  }

  /** Fetches order-line changes (status, invoice, tracking) from the marketplace and applies them in Omnitron. */
  fetchAndUpdateOrderItems(options: FlowOptions = {}): Promise<FlowResult> {
    return (
      checked('fetchAndUpdateOrderItems', FlowOptionsSchemas.flow, options) ??
      fetchAndUpdateOrderItems(this.#deps, options)
    );
  }

  /** Fetches cancellation and return requests from the marketplace and creates them in Omnitron. */
  fetchAndCreateCancellationRequests(options: FlowOptions = {}): Promise<FlowResult> {
    return (
      checked('fetchAndCreateCancellationRequests', FlowOptionsSchemas.flow, options) ??
      fetchAndCreateCancellationRequests(this.#deps, options)
    );
  }

  /** Sends cancellation requests that changed in Omnitron to the marketplace. */
  updateCancellationRequests(options: UpdateCancellationRequestsOptions = {}): Promise<FlowResult> {
    return (
      checked('updateCancellationRequests', FlowOptionsSchemas.updateCancellationRequests, options) ??
      updateCancellationRequests(this.#deps, options)
    );
  }
}

/** A rejected promise naming what is wrong with a flow's options, or `undefined` when they are valid. */
function checked(flow: string, schema: z.ZodType, options: unknown): Promise<never> | undefined {
  const parsed = schema.safeParse(options);
  return parsed.success ? undefined : Promise.reject(InvalidOptionsError.fromZod(flow, parsed.error));
}
