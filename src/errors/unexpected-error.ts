import { ChannelAppError } from './channel-app-error.js';

/**
 * Something that is not one of the SDK's known failures was thrown (a bug in an adapter or in the SDK).
 * The original is kept as `cause`.
 */
export class UnexpectedError extends ChannelAppError {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super('UNEXPECTED', `Unexpected error: ${reason}`, { cause });
  }

  /** Returns the error itself when it is already a `ChannelAppError`, else wraps it. */
  static wrap(error: unknown): ChannelAppError {
    return error instanceof ChannelAppError ? error : new UnexpectedError(error);
  }
}
