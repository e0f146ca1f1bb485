import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * A cancellation reason has no counterpart: the channel's `reason_mapping` configuration lacks the
 * marketplace reason code (and no `cancellation_reason_id` fallback is set), or, going the other way, no
 * marketplace code maps to the Omnitron reason.
 *
 * @group Errors
 */
export class ReasonNotMappedError extends ChannelAppError {
  static {
    brandClass(ReasonNotMappedError, 'ReasonNotMappedError');
  }

  /** The reason that could not be mapped: a marketplace code, or an Omnitron reason id. */
  readonly reason: string;
  /** `toOmnitron` for a marketplace code, `toChannel` for an Omnitron reason id. */
  readonly direction: 'toOmnitron' | 'toChannel';

  constructor(reason: string, direction: 'toOmnitron' | 'toChannel') {
    const message =
      direction === 'toOmnitron'
        ? `Cancellation reason "${reason}" is not in the channel's reason_mapping and no cancellation_reason_id is configured`
        : `No marketplace reason in the channel's reason_mapping maps to Omnitron reason ${reason}`;
    super('REASON_NOT_MAPPED', message);
    this.reason = reason;
    this.direction = direction;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), reason: this.reason, direction: this.direction };
  }
}
