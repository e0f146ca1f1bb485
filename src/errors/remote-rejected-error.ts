import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * The marketplace answered and refused the change (a `FAIL` result): the adapter worked, the marketplace
 * said no. The batch object gets `failed_reason_type: remote`, and the change is offered again next run.
 *
 * @group Errors
 */
export class RemoteRejectedError extends ChannelAppError {
  static {
    brandClass(RemoteRejectedError, 'RemoteRejectedError');
  }

  /** What was refused, such as `order DEMO-1006`. */
  readonly subject: string;
  /** The marketplace's reason. */
  readonly reason: string;

  constructor(subject: string, reason: string) {
    super('REMOTE_REJECTED', `The marketplace refused ${subject}: ${reason}`, { retriable: true });
    this.subject = subject;
    this.reason = reason;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), subject: this.subject, reason: this.reason };
  }
}
