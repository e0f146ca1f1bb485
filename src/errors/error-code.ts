/**
 * Every code the SDK's errors carry, in one list: {@link ErrorCode} is derived from it, so a new error
 * class cannot use a code that is not listed here, and tooling (a dashboard, an exhaustive switch) can read
 * the list at run time.
 *
 * @group Errors
 */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'INVALID_OPTIONS',
  'UNKNOWN_LOCATION',
  'CARGO_COMPANY_NOT_FOUND',
  'PRODUCT_NOT_FOUND',
  'MAPPING_NOT_FOUND',
  'AMBIGUOUS_MAPPING',
  'REASON_NOT_MAPPED',
  'DUPLICATE_ORDER',
  'BATCH_TRANSITION',
  'OMNITRON_ERROR',
  'OMNITRON_AUTH',
  'OMNITRON_NOT_FOUND',
  'OMNITRON_CONFLICT',
  'OMNITRON_VALIDATION',
  'OMNITRON_SERVER',
  'OMNITRON_NETWORK',
  'OMNITRON_RESPONSE',
  'CHANNEL_ERROR',
  'REMOTE_REJECTED',
  'CHANNEL_INACTIVE',
  'NOT_SUPPORTED',
  'FLOW_ABORTED',
  'LOCK_TIMEOUT',
  'CREATE_FATE_UNKNOWN',
  'VOLATILE_REDIS',
  'UNEXPECTED',
] as const;

/**
 * Stable, machine-readable codes for every failure the SDK reports. They appear in flow results, in logs
 * and in the Omnitron error reports users read in Sales Channel Logs.
 *
 * @group Errors
 */
export type ErrorCode = (typeof ERROR_CODES)[number];
