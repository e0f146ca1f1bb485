import { z } from 'zod';
import { ResponseStatus } from './common.js';

/**
 * The marketplace's answer for one order of an update batch (`sendUpdatedOrders`, `checkOrders`). `number`
 * names the order the way it was imported: its **marketplace** id (or its order number).
 *
 * @group Data
 */
export const OrderBatchResult = z.object({
  /** `SUCCESS` when the marketplace took the update, `FAIL` when it refused it. */
  status: ResponseStatus,
  /**
   * The **marketplace's** id for the accepted update (a change or job line id), if it gives one. It only
   * goes to the report: the order stays linked to the marketplace id it was imported under. Defaults to `''`.
   */
  remoteId: z.string().default(''),
  /**
   * Which order this result is for: the **marketplace** id it was imported under (`orders[i].remoteId` of
   * the input), or else its order number (`orders[i].order.number`). Never Omnitron's id.
   */
  number: z.string().min(1, 'must name the order'),
  /** Why the marketplace refused it, for `FAIL`; it goes to the error report. Defaults to `''`. */
  message: z.string().default(''),
});
/**
 * The marketplace's answer for one order of an update batch, as the flow reads it (defaults applied).
 *
 * @interface
 *
 * @group Data
 */
export type OrderBatchResult = z.infer<typeof OrderBatchResult>;
/**
 * What a channel adapter returns for one order in `results` of `sendUpdatedOrders` or `checkOrders`,
 * before defaults are applied.
 *
 * @interface
 *
 * @group Data
 */
export type OrderBatchResultInput = z.input<typeof OrderBatchResult>;
