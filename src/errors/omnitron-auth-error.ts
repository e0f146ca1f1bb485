import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron refused the credentials (login failed, or a request stayed 401/403 after a fresh login).
 *
 * @group Errors
 */
export class OmnitronAuthError extends OmnitronError {
  static {
    brandClass(OmnitronAuthError, 'OmnitronAuthError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_AUTH', retriable: false });
  }
}
