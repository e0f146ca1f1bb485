import { brandClass } from './brand.js';
import type { PayloadIssue } from './invalid-payload-error.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * Omnitron answered 2xx with a body the SDK cannot use: not JSON, or JSON of an unexpected shape. The
 * message names the endpoint and every offending field.
 *
 * @group Errors
 */
export class OmnitronResponseError extends OmnitronError {
  static {
    brandClass(OmnitronResponseError, 'OmnitronResponseError');
  }

  /** What was wrong, by field; empty when the body was not JSON at all. */
  readonly issues: PayloadIssue[];

  constructor(message: string, options: OmnitronErrorOptions & { issues?: PayloadIssue[] } = {}) {
    super(message, { ...options, code: 'OMNITRON_RESPONSE', retriable: true });
    this.issues = options.issues ?? [];
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), issues: this.issues };
  }
}
