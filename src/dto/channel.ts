import { z } from 'zod';
import { CustomerIdentifierField } from './customer.js';

/**
 * The order-related settings of an Omnitron channel's `conf`, parsed. Unknown keys are ignored; a
 * malformed known key is an error rather than a silent default.
 */
export const ChannelConf = z
  .object({
    /** Marketplace reason code → Omnitron cancellation reason id. */
    reason_mapping: z.record(z.string(), z.coerce.number().int().positive()).default({}),
    /** Omnitron reason id used when a marketplace reason code is not in `reason_mapping`. */
    cancellation_reason_id: z.coerce.number().int().positive().nullable().optional(),
    /** How customers are matched: by `email` (default) or `phone_number`. */
    CUSTOMER_IDENTIFIER_FIELD: CustomerIdentifierField.default('email'),
  })
  .transform((conf) => ({
    reasonMapping: conf.reason_mapping,
    cancellationReasonId: conf.cancellation_reason_id ?? null,
    customerIdentifierField: conf.CUSTOMER_IDENTIFIER_FIELD,
  }));
/** The order-related settings of an Omnitron channel. */
export type ChannelConf = z.infer<typeof ChannelConf>;

/** An Omnitron sales channel. */
export interface Channel {
  id: number;
  name: string;
  isActive: boolean;
  conf: ChannelConf;
}
