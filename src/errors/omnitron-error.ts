import { ChannelAppError, type ChannelAppErrorOptions, type ErrorCode } from './channel-app-error.js';

/** Options of {@link OmnitronError} and its subclasses. */
export interface OmnitronErrorOptions extends ChannelAppErrorOptions {
  /** A more precise code than `OMNITRON_ERROR`; set by the subclasses. */
  code?: ErrorCode;
  /** The request body, secrets redacted. */
  requestBody?: string;
  /** The response body, secrets redacted. */
  responseBody?: string;
}

/**
 * Omnitron failed or refused a request. The subclasses say how: `OmnitronAuthError`,
 * `OmnitronNotFoundError`, `OmnitronConflictError`, `OmnitronValidationError`, `OmnitronServerError`,
 * `OmnitronNetworkError`, `OmnitronResponseError`. Bodies are kept with secrets redacted, ready for an
 * error report. `retriable` says whether trying again later may help (true unless a subclass says otherwise).
 */
export class OmnitronError extends ChannelAppError {
  /** The request body, with secrets redacted, when there was one. */
  readonly requestBody: string | undefined;
  /** The response body, with secrets redacted, when there was one. */
  readonly responseBody: string | undefined;

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(options.code ?? 'OMNITRON_ERROR', message, { retriable: true, ...options });
    this.requestBody = options.requestBody;
    this.responseBody = options.responseBody;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), requestBody: this.requestBody, responseBody: this.responseBody };
  }
}
