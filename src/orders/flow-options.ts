import { z } from 'zod';
import { isLogger, type Logger } from '../reporting/logger.js';
import type { ItemOutcome } from './flow-result.js';

/**
 * Orders imported at once unless told otherwise. Measured with `npm run bench` (10 ms latency): gains
 * flatten beyond 16 while the load on Omnitron keeps growing.
 *
 * @group Flows
 */
export const DEFAULT_IMPORT_CONCURRENCY = 16;

const isSignal = (v: unknown): v is AbortSignal =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as AbortSignal).aborted === 'boolean' &&
  typeof (v as AbortSignal).addEventListener === 'function';

const flowFields = {
  /** Also write error reports for successful steps (Sales Channel Logs show them as Successful). */
  isSuccessLog: z.boolean().optional(),
  /** Stops the flow between items; its batch request is closed as `fail` and `FlowAbortedError` thrown. */
  signal: z.custom<AbortSignal>(isSignal, { message: 'must be an AbortSignal' }).optional(),
  /** Called after each item with its outcome, for progress displays. */
  onItem: z
    .custom<(outcome: ItemOutcome) => void>((v) => typeof v === 'function', { message: 'must be a function' })
    .optional(),
  /** A logger for this run only. */
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  /**
   * Which outcomes the result keeps in `items`: `all` (default), only `failures`, or `none`. Counts are
   * always complete, and `onItem` sees every outcome. Long runs use `failures` to keep memory flat.
   */
  keepOutcomes: z.enum(['all', 'failures', 'none']).optional(),
  /**
   * At most this many outcomes are kept in `items` (default: no limit); those `keepOutcomes` would have
   * kept beyond it are counted in the result's `itemsOverLimit`. The scheduler's runs keep the first 100
   * failures unless their options say otherwise.
   */
  maxOutcomes: z.number().int().min(0).optional(),
  /**
   * Whether the run first closes batch requests that stopped runs left open (default `true`). A caller
   * that starts many short runs (the webhook worker) sweeps in one run per interval and turns it off in
   * the others: each sweep costs two list requests.
   */
  closeStaleBatches: z.boolean().optional(),
};

const FlowOptionsSchema = z.strictObject(flowFields);

const ImportOrdersOptionsSchema = z.strictObject({
  ...flowFields,
  /**
   * How many orders are imported at once (default {@link DEFAULT_IMPORT_CONCURRENCY}). Outcomes, reports
   * and batch objects are the same at any value; only the waiting overlaps.
   */
  concurrency: z.number().int().min(1).max(256).optional(),
  /**
   * Orders per batch request; a longer run moves on to a new one. Orders are acknowledged on the
   * marketplace when their batch is `done`, so this is also how much work a crash can make the next run
   * re-check (default: `commitEvery`, one commit per batch).
   */
  batchSize: z.number().int().min(1).optional(),
  /** Orders committed to the batch request per commit (default 50). */
  commitEvery: z.number().int().min(1).optional(),
});

const UpdateOrdersOptionsSchema = z.strictObject({
  ...flowFields,
  /**
   * `true` (default): the flow waits for the marketplace's results and finishes the batch now. `false`:
   * the marketplace may answer with a job id; the batch goes to `sent_to_remote` and
   * `getOrderBatchRequests` finishes it later.
   */
  isSync: z.boolean().optional(),
  /** At most this many orders per run (default 100). */
  limit: z.number().int().min(1).optional(),
});

const UpdateCancellationRequestsOptionsSchema = z.strictObject({
  ...flowFields,
  /** At most this many requests per run (default 100). */
  limit: z.number().int().min(1).optional(),
});

/**
 * Options every flow takes. Values left out fall back to the {@link OrderServiceOptions} defaults.
 *
 * @interface
 *
 * @group Flows
 */
export type FlowOptions = z.input<typeof FlowOptionsSchema>;

/**
 * Options of the order import flows ({@link OrderService.fetchAndCreateOrder}, {@link OrderService.createOrder}).
 *
 * @interface
 *
 * @group Flows
 */
export type ImportOrdersOptions = z.input<typeof ImportOrdersOptionsSchema>;

/**
 * Options of {@link OrderService.updateOrders}.
 *
 * @interface
 *
 * @group Flows
 */
export type UpdateOrdersOptions = z.input<typeof UpdateOrdersOptionsSchema>;

/**
 * Options of {@link OrderService.updateCancellationRequests}.
 *
 * @interface
 *
 * @group Flows
 */
export type UpdateCancellationRequestsOptions = z.input<typeof UpdateCancellationRequestsOptionsSchema>;

/**
 * The checks of each flow's options, the source of their types. Strict: a misspelt option (`concurency`,
 * from a scheduler's JSON say) is an `InvalidOptionsError` naming it rather than silently ignored, and a
 * number out of range (`NaN` concurrency) is refused before anything runs.
 *
 * @group Flows
 */
export const FlowOptionsSchemas = {
  flow: FlowOptionsSchema,
  importOrders: ImportOrdersOptionsSchema,
  updateOrders: UpdateOrdersOptionsSchema,
  updateCancellationRequests: UpdateCancellationRequestsOptionsSchema,
};
