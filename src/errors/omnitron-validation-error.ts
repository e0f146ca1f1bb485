import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron rejected the data sent (HTTP 400 and other 4xx), with its message per field when it gave one.
 *
 * @group Errors
 */
export class OmnitronValidationError extends OmnitronError {
  static {
    brandClass(OmnitronValidationError, 'OmnitronValidationError');
  }

  /** Omnitron's messages by field, from a DRF-style error body. */
  readonly fieldErrors: Record<string, string[]>;

  constructor(
    message: string,
    options: OmnitronErrorOptions & { fieldErrors?: Record<string, string[]> } = {},
  ) {
    super(message, { ...options, code: 'OMNITRON_VALIDATION', retriable: false });
    this.fieldErrors = options.fieldErrors ?? {};
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), fieldErrors: this.fieldErrors };
  }
}
