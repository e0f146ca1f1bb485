import { z } from 'zod';
import { ResponseStatus } from './common.js';

/**
 * The marketplace's answer for one order of an update batch. `number` names the order the way it was
 * imported: its remote id (or its order number).
 */
export const OrderBatchResult = z.object({
  /** `SUCCESS` when the marketplace took the update, `FAIL` when it refused it. */
  status: ResponseStatus,
  /**
   * The marketplace's id for the accepted update, if it gives one; it is reported, while the order stays
   * linked to the id it was imported under.
   */
  remoteId: z.string().default(''),
  /** The order's remote id or number. */
  number: z.string().min(1, 'must name the order'),
  /** Why the marketplace refused it, for `FAIL`. */
  message: z.string().default(''),
});
/** The marketplace's answer for one order of an update batch. */
export type OrderBatchResult = z.infer<typeof OrderBatchResult>;
/** What a channel adapter may return for one order before defaults are applied. */
export type OrderBatchResultInput = z.input<typeof OrderBatchResult>;
