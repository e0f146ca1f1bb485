import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';

/**
 * Omnitron itself failed: a server error, a timeout, a lost connection, or an answer the SDK cannot use.
 * `retriable` says whether trying again later may help.
 */
export class OmnitronError extends ChannelAppError {
  /** The response body, with secrets redacted, when there was one. */
  readonly responseBody: string | undefined;

  constructor(message: string, options: ChannelAppErrorOptions & { responseBody?: string } = {}) {
    super('OMNITRON_ERROR', message, { retriable: true, ...options });
    this.responseBody = options.responseBody;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), responseBody: this.responseBody };
  }
}
