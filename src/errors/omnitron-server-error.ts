import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron answered with a server error or kept rate-limiting (5xx, 429, 408) after every retry.
 *
 * @group Errors
 */
export class OmnitronServerError extends OmnitronError {
  static {
    brandClass(OmnitronServerError, 'OmnitronServerError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_SERVER', retriable: true });
  }
}
