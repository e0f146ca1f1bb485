import { DEFAULT_COMMIT_LOCK_WAIT } from '../batch/batch-request-tracker.js';

/**
 * Orders imported at once unless told otherwise. Measured with `npm run bench` (10 ms latency): gains
 * flatten beyond 16 while the load on Omnitron keeps growing.
 *
 * @group Flows
 */
export const DEFAULT_IMPORT_CONCURRENCY = 16;

/**
 * Every default of `OrderService` and its flows, in one table. Only the resolve steps
 * (`resolveServiceOptions`, `resolveFlowOptions` and the per-flow ones) read it; past them every setting
 * has a value, so no flow writes `?? default` of its own.
 */
export const ORDER_DEFAULTS = {
  /** Failures only in Sales Channel Logs; successful steps too when `true`. */
  isSuccessLog: false,
  /** Orders imported at once. */
  importConcurrency: DEFAULT_IMPORT_CONCURRENCY,
  /**
   * Orders per commit, and per batch request unless `batchSize` says otherwise: small enough that a crash
   * leaves little to re-check and Omnitron's commit lock is held for an instant.
   */
  commitEvery: 50,
  /** Orders one `updateOrders` run sends. */
  updateLimit: 100,
  /** Requests one `updateCancellationRequests` run sends. */
  cancellationUpdateLimit: 100,
  /** `updateOrders` waits for the marketplace's results unless told it may answer with a job. */
  isSync: true,
  /** Outcomes a direct call's result keeps (the scheduler asks for failures only, see its summaries). */
  keepOutcomes: 'all',
  /** No cap on the outcomes kept, for a direct call (the scheduler keeps 100). */
  maxOutcomes: Number.POSITIVE_INFINITY,
  /** Every run first closes batch requests stopped runs left open (the webhook worker sweeps per interval). */
  closeStaleBatches: true,
  /** How far back a `reconcileOrders` run looks when its window is not given, ms: two days. */
  reconcileLookBack: 2 * 24 * 60 * 60_000,
  /** A batch request left in `commit` or `initialized` this long (ms) by a stopped run is closed as `fail`. */
  staleBatchAfter: 15 * 60_000,
  /** How long (ms) a run waits for another batch of its content type to leave `commit`. */
  commitLockWait: DEFAULT_COMMIT_LOCK_WAIT,
} as const;

/**
 * The engine's fixed sizes, in one table. They are not options: each is the number of items one request
 * may carry (a filter's id list, an acknowledgement call) or a bound that keeps a run's memory flat, and
 * the request counts in the README's performance table are measured with them.
 */
export const ORDER_SIZES = {
  /** Incoming orders looked up together: one request for their numbers, one for their links. */
  orderLookup: 50,
  /** Order-line changes looked up together: one request for their lines' units, one for the units. */
  lineLookup: 50,
  /** Cancellations looked up together: their orders' links, their lines' links, the items. */
  cancelLookup: 50,
  /** Cancellation requests looked up together. */
  requestLookup: 50,
  /** Items (orders, or outcomes of a stream) one acknowledge call carries. */
  acknowledgement: 100,
  /**
   * Customers, addresses or product ids one import run remembers; the oldest go first. A customer and its
   * address take about 650 bytes of live heap, which V8 lets grow to a few times that before it collects:
   * at 10 000 an import of orders from distinct customers peaked 30 MB higher at 20 000 orders than at
   * 2 000. The last 2 000 orders' customers still cover a customer's orders placed close together, and
   * concurrent orders of one customer share one look-up whatever the size.
   */
  importCacheEntries: 2_000,
} as const;
