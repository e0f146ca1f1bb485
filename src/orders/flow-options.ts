import { z } from 'zod';
import { isLogger, type Logger } from '../reporting/logger.js';
import type { ItemOutcome } from './flow-result.js';

/** Options every flow takes. Values left out fall back to the {@link OrderServiceOptions} defaults. */
export interface FlowOptions {
  /** Also write error reports for successful steps (Sales Channel Logs show them as Successful). */
  isSuccessLog?: boolean;
  /** Stops the flow between items; its batch request is closed as `fail` and `FlowAbortedError` thrown. */
  signal?: AbortSignal;
  /** Called after each item with its outcome, for progress displays. */
  onItem?: (outcome: ItemOutcome) => void;
  /** A logger for this run only. */
  logger?: Logger;
  /**
   * Which outcomes the result keeps in `items`: `all` (default), only `failures`, or `none`. Counts are
   * always complete, and `onItem` sees every outcome. Long runs use `failures` to keep memory flat.
   */
  keepOutcomes?: 'all' | 'failures' | 'none';
}

/** Options of the order import flows ({@link OrderService.fetchAndCreateOrder}, {@link OrderService.createOrder}). */
export interface ImportOrdersOptions extends FlowOptions {
  /**
   * How many orders are imported at once (default {@link DEFAULT_IMPORT_CONCURRENCY}). Outcomes, reports
   * and batch objects are the same at any value; only the waiting overlaps.
   */
  concurrency?: number;
  /**
   * Orders per batch request; a longer run moves on to a new one. Orders are acknowledged on the
   * marketplace when their batch is `done`, so this is also how much work a crash can make the next run
   * re-check (default: `commitEvery`, one commit per batch).
   */
  batchSize?: number;
  /** Orders committed to the batch request per commit (default 50). */
  commitEvery?: number;
}

/**
 * Orders imported at once unless told otherwise. Measured with `npm run bench` (10 ms latency): gains
 * flatten beyond 16 while the load on Omnitron keeps growing.
 */
export const DEFAULT_IMPORT_CONCURRENCY = 16;

/** Options of {@link OrderService.updateOrders}. */
export interface UpdateOrdersOptions extends FlowOptions {
  /**
   * `true` (default): the flow waits for the marketplace's results and finishes the batch now. `false`:
   * the marketplace may answer with a job id; the batch goes to `sent_to_remote` and
   * `getOrderBatchRequests` finishes it later.
   */
  isSync?: boolean;
  /** At most this many orders per run (default 100). */
  limit?: number;
}

/** Options of {@link OrderService.updateCancellationRequests}. */
export interface UpdateCancellationRequestsOptions extends FlowOptions {
  /** At most this many requests per run (default 100). */
  limit?: number;
}

const isSignal = (v: unknown): v is AbortSignal =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as AbortSignal).aborted === 'boolean' &&
  typeof (v as AbortSignal).addEventListener === 'function';

const flowFields = {
  isSuccessLog: z.boolean().optional(),
  signal: z.custom<AbortSignal>(isSignal, { message: 'must be an AbortSignal' }).optional(),
  onItem: z
    .custom<(outcome: ItemOutcome) => void>((v) => typeof v === 'function', { message: 'must be a function' })
    .optional(),
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  keepOutcomes: z.enum(['all', 'failures', 'none']).optional(),
};

/**
 * The checks of each flow's options. Strict: a misspelt option (`concurency`, from a scheduler's JSON say)
 * is an `InvalidOptionsError` naming it rather than silently ignored, and a number out of range (`NaN`
 * concurrency) is refused before anything runs.
 */
export const FlowOptionsSchemas = {
  flow: z.strictObject(flowFields) satisfies z.ZodType<FlowOptions>,
  importOrders: z.strictObject({
    ...flowFields,
    concurrency: z.number().int().min(1).max(256).optional(),
    batchSize: z.number().int().min(1).optional(),
    commitEvery: z.number().int().min(1).optional(),
  }) satisfies z.ZodType<ImportOrdersOptions>,
  updateOrders: z.strictObject({
    ...flowFields,
    isSync: z.boolean().optional(),
    limit: z.number().int().min(1).optional(),
  }) satisfies z.ZodType<UpdateOrdersOptions>,
  updateCancellationRequests: z.strictObject({
    ...flowFields,
    limit: z.number().int().min(1).optional(),
  }) satisfies z.ZodType<UpdateCancellationRequestsOptions>,
};
