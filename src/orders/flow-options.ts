import { z } from 'zod';
import { IsoDateTime } from '../dto/common.js';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger } from '../foundation/logger.js';
import type { SameShape } from '../foundation/same-shape.js';
import { ORDER_DEFAULTS } from './defaults.js';
import type { FlowName } from './flow-names.js';
import type { ItemOutcome } from './flow-result.js';

export { DEFAULT_IMPORT_CONCURRENCY } from './defaults.js';

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
  maxOutcomes: z.number().int().min(0).optional(),
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

const StreamFlowOptionsSchema = z.strictObject({
  ...flowFields,
  concurrency: z.number().int().min(1).max(256).optional(),
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

const ReconcileOrdersOptionsSchema = z.strictObject({
  ...flowFields,
  since: IsoDateTime.optional(),
  until: IsoDateTime.optional(),
  lookBack: z.number().int().min(1).optional(),
});

/**
 * Options every flow takes. Values left out fall back to the {@link OrderServiceOptions} defaults.
 *
 * @group Flows
 */
export interface FlowOptions {
  /** Also write error reports for successful steps (Sales Channel Logs show them as Successful). */
  isSuccessLog?: boolean | undefined;
  /** Stops the flow between items; its batch request is closed as `fail` and `FlowAbortedError` thrown. */
  signal?: AbortSignal | undefined;
  /** Called after each item with its outcome, for progress displays. */
  onItem?: ((outcome: ItemOutcome) => void) | undefined;
  /** A logger for this run only. */
  logger?: Logger | undefined;
  /**
   * Which outcomes the result keeps in `items`: `all` (default), only `failures`, or `none`. Counts are
   * always complete, and `onItem` sees every outcome. Long runs use `failures` to keep memory flat.
   */
  keepOutcomes?: 'all' | 'failures' | 'none' | undefined;
  /**
   * At most this many outcomes are kept in `items` (default: no limit); those `keepOutcomes` would have
   * kept beyond it are counted in the result's `itemsOverLimit`. The scheduler's runs keep the first 100
   * failures unless their options say otherwise.
   */
  maxOutcomes?: number | undefined;
  /**
   * Whether the run first closes batch requests that stopped runs left open (default `true`). A caller
   * that starts many short runs (the webhook worker) sweeps in one run per interval and turns it off in
   * the others: each sweep costs two list requests.
   */
  closeStaleBatches?: boolean | undefined;
}

/**
 * Options of the order import flows ({@link OrderService.fetchAndCreateOrder}, {@link OrderService.createOrder}).
 *
 * @group Flows
 */
export interface ImportOrdersOptions extends FlowOptions {
  /**
   * How many orders are imported at once (1 to 256, default {@link DEFAULT_IMPORT_CONCURRENCY}). Outcomes,
   * reports and batch objects are the same at any value; only the waiting overlaps.
   */
  concurrency?: number | undefined;
  /**
   * Orders per batch request; a longer run moves on to a new one. Orders are acknowledged on the
   * marketplace when their batch is `done`, so this is also how much work a crash can make the next run
   * re-check (default: `commitEvery`, one commit per batch).
   */
  batchSize?: number | undefined;
  /** Orders committed to the batch request per commit (default 50). */
  commitEvery?: number | undefined;
}

/**
 * Options of the flows that apply a marketplace stream other than new orders
 * ({@link OrderService.fetchAndCreateCancel}, {@link OrderService.createCancel},
 * {@link OrderService.fetchAndUpdateOrderItems}, {@link OrderService.fetchAndCreateCancellationRequests}).
 *
 * @group Flows
 */
export interface StreamFlowOptions extends FlowOptions {
  /**
   * How many items are worked on at once (1 to 256, default: the import's,
   * {@link DEFAULT_IMPORT_CONCURRENCY}). Items of one order are still worked on one after another, in the
   * order the marketplace gave them; outcomes, reports and batch objects are the same at any value, only
   * the waiting overlaps.
   */
  concurrency?: number | undefined;
}

const _streams: SameShape<StreamFlowOptions, z.input<typeof StreamFlowOptionsSchema>> = true;
void _streams;

/** {@link StreamFlowOptions} once checked and defaulted. */
export interface StreamSettings extends RunSettings {
  concurrency: number;
}

/**
 * Options of {@link OrderService.updateOrders}.
 *
 * @group Flows
 */
export interface UpdateOrdersOptions extends FlowOptions {
  /**
   * `true` (default): the flow waits for the marketplace's results and finishes the batch now. `false`:
   * the marketplace may answer with a job id; the batch goes to `sent_to_remote` and
   * `getOrderBatchRequests` finishes it later.
   */
  isSync?: boolean | undefined;
  /** At most this many orders per run (default 100). */
  limit?: number | undefined;
}

/**
 * Options of {@link OrderService.updateCancellationRequests}.
 *
 * @group Flows
 */
export interface UpdateCancellationRequestsOptions extends FlowOptions {
  /** At most this many requests per run (default 100). */
  limit?: number | undefined;
}

// The interfaces above are what users read; the schemas below check values at run time. tsc fails here
// the moment the two disagree.
const _flow: SameShape<FlowOptions, z.input<typeof FlowOptionsSchema>> = true;
const _import: SameShape<ImportOrdersOptions, z.input<typeof ImportOrdersOptionsSchema>> = true;
const _update: SameShape<UpdateOrdersOptions, z.input<typeof UpdateOrdersOptionsSchema>> = true;
const _requests: SameShape<
  UpdateCancellationRequestsOptions,
  z.input<typeof UpdateCancellationRequestsOptionsSchema>
> = true;
void [_flow, _import, _update, _requests];

/**
 * Options of {@link OrderService.reconcileOrders}.
 *
 * @group Flows
 */
export interface ReconcileOrdersOptions extends FlowOptions {
  /**
   * The start of the window whose orders are compared: an ISO 8601 date-time with offset, or a `Date`.
   * Default: `until` less `lookBack`.
   */
  since?: string | Date | undefined;
  /** The end of the window (exclusive), as `since`. Default: now. */
  until?: string | Date | undefined;
  /**
   * How far back from `until` the window starts when `since` is not given, in ms (default two days): a
   * schedule keeps this and leaves `since`/`until` out, so each run checks the last two days.
   */
  lookBack?: number | undefined;
}

const _reconcile: SameShape<ReconcileOrdersOptions, z.input<typeof ReconcileOrdersOptionsSchema>> = true;
void _reconcile;

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
  streams: StreamFlowOptionsSchema,
  updateOrders: UpdateOrdersOptionsSchema,
  updateCancellationRequests: UpdateCancellationRequestsOptionsSchema,
  reconcileOrders: ReconcileOrdersOptionsSchema,
};

/** {@link ReconcileOrdersOptions} once checked and defaulted: the window as two dates. */
export interface ReconcileSettings extends RunSettings {
  since: Date;
  until: Date;
}

/** A flow's options once checked and defaulted: what the run itself reads. */
export interface RunSettings {
  isSuccessLog: boolean;
  signal: AbortSignal;
  onItem: ((outcome: ItemOutcome) => void) | undefined;
  logger: Logger;
  keepOutcomes: 'all' | 'failures' | 'none';
  maxOutcomes: number;
  closeStaleBatches: boolean;
}

/** {@link ImportOrdersOptions} once checked and defaulted. */
export interface ImportSettings extends RunSettings {
  concurrency: number;
  batchSize: number;
  commitEvery: number;
}

/** {@link UpdateOrdersOptions} once checked and defaulted. */
export interface UpdateOrdersSettings extends RunSettings {
  isSync: boolean;
  limit: number;
}

/** {@link UpdateCancellationRequestsOptions} once checked and defaulted. */
export interface UpdateCancellationRequestsSettings extends RunSettings {
  limit: number;
}

/** The service-wide values a flow's options fall back to. */
export interface ServiceDefaults {
  logger: Logger;
  isSuccessLog: boolean;
  importConcurrency: number;
}

/** Checks options against a schema: the parsed value, or an `InvalidOptionsError` naming the flow. */
function check<S extends z.ZodType>(flow: FlowName, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod(flow, parsed.error);
  return parsed.data;
}

function runSettings(options: z.output<typeof FlowOptionsSchema>, service: ServiceDefaults): RunSettings {
  return {
    isSuccessLog: options.isSuccessLog ?? service.isSuccessLog,
    signal: options.signal ?? new AbortController().signal,
    onItem: options.onItem,
    logger: options.logger ?? service.logger,
    keepOutcomes: options.keepOutcomes ?? ORDER_DEFAULTS.keepOutcomes,
    maxOutcomes: options.maxOutcomes ?? ORDER_DEFAULTS.maxOutcomes,
    closeStaleBatches: options.closeStaleBatches ?? ORDER_DEFAULTS.closeStaleBatches,
  };
}

/**
 * The one resolve step of each flow's options: checks them (throws `InvalidOptionsError`) and applies
 * every default, from the service's settings and {@link ORDER_DEFAULTS}.
 */
export const resolveFlowOptions = {
  flow(flow: FlowName, options: FlowOptions, service: ServiceDefaults): RunSettings {
    return runSettings(check(flow, FlowOptionsSchema, options), service);
  },
  importOrders(flow: FlowName, options: ImportOrdersOptions, service: ServiceDefaults): ImportSettings {
    const checked = check(flow, ImportOrdersOptionsSchema, options);
    const commitEvery = checked.commitEvery ?? ORDER_DEFAULTS.commitEvery;
    return {
      ...runSettings(checked, service),
      concurrency: checked.concurrency ?? service.importConcurrency,
      commitEvery,
      batchSize: checked.batchSize ?? commitEvery,
    };
  },
  updateOrders(flow: FlowName, options: UpdateOrdersOptions, service: ServiceDefaults): UpdateOrdersSettings {
    const checked = check(flow, UpdateOrdersOptionsSchema, options);
    return {
      ...runSettings(checked, service),
      isSync: checked.isSync ?? ORDER_DEFAULTS.isSync,
      limit: checked.limit ?? ORDER_DEFAULTS.updateLimit,
    };
  },
  updateCancellationRequests(
    flow: FlowName,
    options: UpdateCancellationRequestsOptions,
    service: ServiceDefaults,
  ): UpdateCancellationRequestsSettings {
    const checked = check(flow, UpdateCancellationRequestsOptionsSchema, options);
    return {
      ...runSettings(checked, service),
      limit: checked.limit ?? ORDER_DEFAULTS.cancellationUpdateLimit,
    };
  },
  reconcileOrders(
    flow: FlowName,
    options: ReconcileOrdersOptions,
    service: ServiceDefaults,
  ): ReconcileSettings {
    const checked = check(flow, ReconcileOrdersOptionsSchema, options);
    const until = checked.until === undefined ? new Date() : new Date(checked.until);
    const lookBack = checked.lookBack ?? ORDER_DEFAULTS.reconcileLookBack;
    const since =
      checked.since === undefined ? new Date(until.getTime() - lookBack) : new Date(checked.since);
    if (!(since.getTime() < until.getTime()))
      throw new InvalidOptionsError(flow, [
        `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
      ]);
    return { ...runSettings(checked, service), since, until };
  },
  streams(flow: FlowName, options: StreamFlowOptions, service: ServiceDefaults): StreamSettings {
    const checked = check(flow, StreamFlowOptionsSchema, options);
    return {
      ...runSettings(checked, service),
      concurrency: checked.concurrency ?? service.importConcurrency,
    };
  },
};
