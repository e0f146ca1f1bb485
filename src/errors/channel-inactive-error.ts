import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * The Omnitron channel is switched off, so no flow runs for it.
 *
 * @group Errors
 */
export class ChannelInactiveError extends ChannelAppError {
  static {
    brandClass(ChannelInactiveError, 'ChannelInactiveError');
  }

  /** Omnitron id of the channel. */
  readonly channelId: number;

  constructor(channelId: number) {
    super(
      'CHANNEL_INACTIVE',
      `Channel ${channelId} is inactive in Omnitron; no flow runs for it until it is activated`,
    );
    this.channelId = channelId;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), channelId: this.channelId };
  }
}
