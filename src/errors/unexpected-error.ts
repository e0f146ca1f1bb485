import type { SecretRedactor } from '../reporting/redact.js';
import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';
import { isAnError, snapshotError } from './error-snapshot.js';

/**
 * Something that is not one of the SDK's known failures was thrown (a bug in an adapter or in the SDK).
 * A redacted {@link ErrorSnapshot} of it (name, code, message, stack) is kept as `cause`, never the thrown
 * object itself, which may hold credentials in properties no redactor looks at.
 *
 * @group Errors
 */
export class UnexpectedError extends ChannelAppError {
  static {
    brandClass(UnexpectedError, 'UnexpectedError');
  }

  /**
   * @param cause - what was thrown
   * @param redactor - strips known secret values (the service's `secrets`) from the message and cause
   */
  constructor(cause: unknown, redactor?: SecretRedactor) {
    const snapshot = snapshotError(cause, redactor);
    const reason = isAnError(cause) ? `${snapshot.name}: ${snapshot.message}` : snapshot.message;
    super('UNEXPECTED', `Unexpected error: ${reason}`, { cause: snapshot });
  }

  /** Returns the error itself when it is already a `ChannelAppError`, else wraps it (redacted). */
  static wrap(error: unknown, redactor?: SecretRedactor): ChannelAppError {
    return isChannelAppError(error) ? (error as ChannelAppError) : new UnexpectedError(error, redactor);
  }
}

function isChannelAppError(value: unknown): boolean {
  try {
    return value instanceof ChannelAppError;
  } catch {
    return false;
  }
}
