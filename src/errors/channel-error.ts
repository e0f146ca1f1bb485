import type { SecretRedactor } from '../reporting/redact.js';
import { brandClass } from './brand.js';
import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';
import { snapshotError } from './error-snapshot.js';

/**
 * Options of {@link ChannelError}.
 *
 * @group Errors
 */
export interface ChannelErrorOptions extends Omit<ChannelAppErrorOptions, 'cause'> {
  /** What the adapter threw; only a redacted snapshot of it is kept. */
  cause?: unknown;
  /**
   * Strips the secrets the service knows (its `secrets` option) from the message and the cause. Without
   * one, only secret-looking keys and `Authorization` values are stripped.
   */
  redactor?: SecretRedactor;
}

/**
 * The channel adapter (the marketplace side) threw while a flow called it. Its `cause` is a redacted
 * {@link ErrorSnapshot} of what the adapter threw (name, code, message, stack), never the thrown object
 * itself: an HTTP client's error often carries the request's headers or config, API keys included.
 *
 * @group Errors
 */
export class ChannelError extends ChannelAppError {
  static {
    brandClass(ChannelError, 'ChannelError');
  }

  /** The `ChannelIntegration` method that failed. */
  readonly operation: string;

  constructor(operation: string, options: ChannelErrorOptions = {}) {
    const { redactor, cause: thrown, ...rest } = options;
    const cause = thrown === undefined ? undefined : snapshotError(thrown, redactor);
    const reason = cause?.message ?? 'unknown error';
    super('CHANNEL_ERROR', `Channel adapter failed in ${operation}: ${reason}`, {
      retriable: true,
      ...rest,
      ...(cause ? { cause } : {}),
    });
    this.operation = operation;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), operation: this.operation };
  }
}
