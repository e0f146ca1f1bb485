import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';

/** The channel adapter (the marketplace side) threw while a flow called it. */
export class ChannelError extends ChannelAppError {
  /** The `ChannelIntegration` method that failed. */
  readonly operation: string;

  constructor(operation: string, options: ChannelAppErrorOptions = {}) {
    const reason =
      options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown error');
    super('CHANNEL_ERROR', `Channel adapter failed in ${operation}: ${reason}`, {
      retriable: true,
      ...options,
    });
    this.operation = operation;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), operation: this.operation };
  }
}
