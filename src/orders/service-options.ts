import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger, silentLogger } from '../foundation/logger.js';
import { SecretRedactor } from '../foundation/redact.js';
import type { SameShape } from '../foundation/same-shape.js';
import { ChannelIntegration } from '../integrations/channel-integration.js';
import { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { type KeyedLock, processKeyedLock } from '../locks/keyed-lock.js';
import { ChannelPort } from './channel-port.js';
import { ORDER_DEFAULTS } from './defaults.js';
import type { FlowDependencies } from './run/run-context.js';

/**
 * Options of {@link OrderService}.
 *
 * @group Flows
 */
export interface OrderServiceOptions {
  /** Where orders go: `OmnitronRestIntegration` in production, `InMemoryOmnitron` in tests. */
  omnitron: OmnitronIntegration;
  /** Your marketplace adapter: an instance of your `ChannelIntegration` subclass. */
  channel: ChannelIntegration;
  /** A pino-compatible logger; silent by default. */
  logger?: Logger | undefined;
  /** Default for every flow: also report successful steps (default `false`: failures only). */
  isSuccessLog?: boolean | undefined;
  /** Orders imported at once by default (1 to 256; see {@link ImportOrdersOptions.concurrency}). */
  concurrency?: number | undefined;
  /**
   * A batch request a stopped run left in `commit` (or `initialized`) for this long (ms, default 15
   * minutes) is closed as `fail` before the next flow of its content type starts, so it cannot block runs
   * forever nor pile up. Keep it above the longest run of any flow: the cancel and line-update flows keep
   * their batch `initialized` until they finish. `0` closes every such batch: use it only where no other
   * run of the channel can be live.
   */
  staleBatchAfter?: number | undefined;
  /**
   * How long (ms, default 60 000) a run waits to commit while another batch request of its content type is
   * in `commit`: Omnitron lets one at a time commit, so a webhook's order beside a scheduled import, or a
   * cancel run beside either, take turns. Past this the run fails with the `BatchTransitionError`.
   */
  commitLockWait?: number | undefined;
  /**
   * Secret values (marketplace API keys, passwords) to strip from every log line and error report, on top
   * of the secret-looking keys and `Authorization` values that are always stripped.
   */
  secrets?: string[] | undefined;
  /**
   * The lock that keeps overlapping runs (two services, a webhook's `createOrder` beside a scheduled
   * import) from creating the same order, customer or address twice (an order is looked up and created
   * under the lock of its number). Default: one lock shared by every `OrderService` of this process. Where
   * runs of one channel can overlap across processes, pass a `RedisKeyedLock` (from
   * `channel-app-sdk/scheduler`) to each of them.
   */
  lock?: KeyedLock | undefined;
}

// The interface above is what users read; this schema checks values at run time.
const OrderServiceOptionsSchema = z.strictObject({
  // `z.instanceof` runs `instanceof`, which both classes' `[Symbol.hasInstance]` extends to the other build
  // (ESM or CommonJS) of the package: an adapter extending the CommonJS `ChannelIntegration` is accepted.
  omnitron: z.instanceof(OmnitronIntegration, {
    message: 'must be an OmnitronIntegration (such as OmnitronRestIntegration)',
  }),
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

const _sameShape: SameShape<OrderServiceOptions, z.input<typeof OrderServiceOptionsSchema>> = true;
void _sameShape;

/**
 * The one resolve step of `OrderService`'s options: checks them (throws `InvalidOptionsError`) and applies
 * every default ({@link ORDER_DEFAULTS}), giving what every flow of the service depends on.
 */
export function resolveServiceOptions(options: OrderServiceOptions): FlowDependencies {
  const parsed = OrderServiceOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('OrderService', parsed.error);
  const { data } = parsed;
  const redactor = new SecretRedactor(data.secrets);
  const lock = data.lock ?? processKeyedLock;
  return {
    omnitron: data.omnitron,
    channel: new ChannelPort(data.channel, redactor),
    logger: data.logger ?? silentLogger,
    redactor,
    isSuccessLog: data.isSuccessLog ?? ORDER_DEFAULTS.isSuccessLog,
    staleBatchAfter: data.staleBatchAfter ?? ORDER_DEFAULTS.staleBatchAfter,
    commitLockWait: data.commitLockWait ?? ORDER_DEFAULTS.commitLockWait,
    lock,
    importConcurrency: data.concurrency ?? ORDER_DEFAULTS.importConcurrency,
  };
}
