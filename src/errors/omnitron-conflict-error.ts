import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron refused a change because of the state of things (HTTP 406 or 409), such as a batch request
 * transition it does not allow (`batch_request_status_100_1`) or a lock another run holds.
 *
 * @group Errors
 */
export class OmnitronConflictError extends OmnitronError {
  static {
    brandClass(OmnitronConflictError, 'OmnitronConflictError');
  }

  /** Omnitron's own error code from the body, such as `batch_request_status_100_1`. */
  readonly omnitronCode: string | undefined;

  constructor(message: string, options: OmnitronErrorOptions & { omnitronCode?: string } = {}) {
    super(message, { ...options, code: 'OMNITRON_CONFLICT', retriable: false });
    this.omnitronCode = options.omnitronCode;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), omnitronCode: this.omnitronCode };
  }
}
