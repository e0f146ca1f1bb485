import { z } from 'zod';
import { EXTRA_FIELD_LIMITS, toPlainData } from './plain-data.js';

/**
 * Money and rates travel as decimal strings (`"12.50"`), never as floats, so no amount is ever rounded
 * on its way between the marketplace and Omnitron.
 *
 * @group Data
 */
export const DecimalString = z
  .string()
  .max(32, 'must be at most 32 characters')
  .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "12.50"');

/**
 * A decimal string that is zero or more: prices, totals, tax rates.
 *
 * @group Data
 */
export const NonNegativeDecimalString = z
  .string()
  .max(32, 'must be at most 32 characters')
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "12.50"');

/**
 * A non-empty identifier from the marketplace, trimmed.
 *
 * @group Data
 */
export const RemoteId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters');

/**
 * Free-form JSON kept alongside an object (Omnitron's `extra_field`).
 *
 * @group Data
 */
export const ExtraField = z.record(z.string(), z.unknown());
/**
 * Free-form JSON kept alongside an object (Omnitron's `extra_field`).
 *
 * @group Data
 */
export type ExtraField = z.infer<typeof ExtraField>;

/**
 * Free-form JSON a channel adapter attaches to an order, line, customer, address or line update
 * (Omnitron's `extra_field`). It must be JSON data (no cycles, `BigInt`s or values that throw when read)
 * and stay within `EXTRA_FIELD_LIMITS`: at most 32 levels of nesting and 1 MiB as JSON. Anything
 * else makes the item fail with an `InvalidPayloadError` naming the field; the other items go on.
 *
 * @group Data
 */
export const ChannelExtraField = ExtraField.superRefine((value, ctx) => {
  const checked = toPlainData(value, EXTRA_FIELD_LIMITS);
  if (!checked.ok) ctx.addIssue({ code: 'custom', path: checked.path, message: checked.message });
});

/**
 * An ISO 8601 date-time; a `Date` is accepted and converted.
 *
 * @group Data
 */
export const IsoDateTime = z.union([
  z.date().transform((d) => d.toISOString()),
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2024-10-03T10:30:00Z' }),
]);

/**
 * A zod enum typed by the union of its values. Documentation and editors then show the union
 * (`"cancel" | "refund"`) rather than zod's internal shape of an enum.
 *
 * @group Data
 */
export function literalEnum<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodType<T[number], T[number]> {
  return z.enum(values);
}

/**
 * An Omnitron primary key.
 *
 * @group Data
 */
export const OmnitronId = z.number().int().positive();

/**
 * Omnitron model names ("content types") the order flows use.
 *
 * @group Data
 */
export const ContentTypeName = literalEnum([
  'order',
  'orderitem',
  'cancellationrequest',
  'batchrequest',
  'channel',
  'product',
  'integrationaction',
]);
/**
 * Omnitron model names ("content types") the order flows use.
 *
 * @group Data
 */
export type ContentTypeName = z.infer<typeof ContentTypeName>;

/**
 * The answer a marketplace gives for one object: it took it, or it refused it.
 *
 * @group Data
 */
export const ResponseStatus = literalEnum(['SUCCESS', 'FAIL']);
/**
 * The answer a marketplace gives for one object: it took it, or it refused it.
 *
 * @group Data
 */
export type ResponseStatus = z.infer<typeof ResponseStatus>;
