import { brandClass } from './brand.js';
import { ChannelAppError, type ChannelAppErrorOptions, type ErrorCode } from './channel-app-error.js';

/**
 * Options of {@link OmnitronError} and its subclasses.
 *
 * @group Errors
 */
export interface OmnitronErrorOptions extends ChannelAppErrorOptions {
  /** A more precise code than `OMNITRON_ERROR`; set by the subclasses. */
  code?: ErrorCode;
  /** The request body, secrets redacted. */
  requestBody?: string;
  /** The response body, secrets redacted. */
  responseBody?: string;
  /**
   * `true` when Omnitron answered with a 2xx status, so the request was carried out, but the answer could
   * not be used (unreadable, not JSON, of the wrong shape, too large). Such a request must never be re-sent.
   */
  delivered?: boolean;
}

/**
 * Omnitron failed or refused a request. The subclasses say how: `OmnitronAuthError`,
 * `OmnitronNotFoundError`, `OmnitronConflictError`, `OmnitronValidationError`, `OmnitronServerError`,
 * `OmnitronNetworkError`, `OmnitronResponseError`. Bodies are kept with secrets redacted, ready for an
 * error report. `retriable` says whether trying again later may help (true unless a subclass says otherwise).
 *
 * @group Errors
 */
export class OmnitronError extends ChannelAppError {
  static {
    brandClass(OmnitronError, 'OmnitronError');
  }

  /** The request body, with secrets redacted, when there was one. */
  readonly requestBody: string | undefined;
  /** The response body, with secrets redacted, when there was one. */
  readonly responseBody: string | undefined;
  /**
   * `true` when Omnitron answered with a 2xx status (the request was carried out) but the answer could not
   * be used. A create that failed this way happened: look it up, never send it again.
   */
  readonly delivered: boolean;

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(options.code ?? 'OMNITRON_ERROR', message, { retriable: true, ...options });
    this.requestBody = options.requestBody;
    this.responseBody = options.responseBody;
    this.delivered = options.delivered ?? false;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      requestBody: this.requestBody,
      responseBody: this.responseBody,
      ...(this.delivered ? { delivered: true } : {}),
    };
  }
}
