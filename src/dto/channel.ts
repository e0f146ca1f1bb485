import { z } from 'zod';
import { CustomerIdentifierField } from './customer.js';

/**
 * The order-related settings of an Omnitron channel's `conf`, parsed. Unknown keys are ignored; a
 * malformed known key is an error rather than a silent default.
 *
 * @group Data
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
  .transform(
    (conf): ChannelConf => ({
      reasonMapping: conf.reason_mapping,
      cancellationReasonId: conf.cancellation_reason_id ?? null,
      customerIdentifierField: conf.CUSTOMER_IDENTIFIER_FIELD,
    }),
  );
/**
 * The order-related settings of an Omnitron channel.
 *
 * @group Data
 */
export interface ChannelConf {
  /** Marketplace reason code → Omnitron cancellation reason id. */
  reasonMapping: Record<string, number>;
  /** Omnitron reason id for marketplace reasons not in `reasonMapping`, or `null`. */
  cancellationReasonId: number | null;
  /** How customers are matched. */
  customerIdentifierField: CustomerIdentifierField;
}

/**
 * An Omnitron sales channel.
 *
 * @group Data
 */
export interface Channel {
  /** Omnitron id of the channel. */
  id: number;
  /** Display name. */
  name: string;
  /** Whether flows run for it. */
  isActive: boolean;
  /** Its order settings. */
  conf: ChannelConf;
}
