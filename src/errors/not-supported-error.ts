import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * The channel adapter does not implement an optional operation that a flow needs.
 *
 * @group Errors
 */
export class NotSupportedError extends ChannelAppError {
  static {
    brandClass(NotSupportedError, 'NotSupportedError');
  }

  /** The `ChannelIntegration` method that is not implemented. */
  readonly operation: string;

  constructor(operation: string, channelName: string) {
    super(
      'NOT_SUPPORTED',
      `${operation} is not supported by this channel (${channelName}); override it in your ChannelIntegration subclass to use it`,
    );
    this.operation = operation;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), operation: this.operation };
  }
}
