import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron has no such object (HTTP 404).
 *
 * @group Errors
 */
export class OmnitronNotFoundError extends OmnitronError {
  static {
    brandClass(OmnitronNotFoundError, 'OmnitronNotFoundError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_NOT_FOUND', retriable: false });
  }
}
