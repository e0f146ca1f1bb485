import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * No answer from Omnitron: a timeout, a refused or reset connection, after every retry.
 *
 * @group Errors
 */
export class OmnitronNetworkError extends OmnitronError {
  static {
    brandClass(OmnitronNetworkError, 'OmnitronNetworkError');
  }

  /** Whether the request timed out (rather than failing to connect). */
  readonly timedOut: boolean;

  constructor(message: string, options: OmnitronErrorOptions & { timedOut?: boolean } = {}) {
    super(message, { ...options, code: 'OMNITRON_NETWORK', retriable: true });
    this.timedOut = options.timedOut ?? false;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), timedOut: this.timedOut };
  }
}
