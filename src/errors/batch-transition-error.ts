import { brandClass } from './brand.js';
import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';

/**
 * The error code Omnitron answers (HTTP 406) when it refuses a batch request status change.
 *
 * @group Errors
 */
export const BATCH_TRANSITION_REJECTED_CODE = 'batch_request_status_100_1';

/**
 * A batch request cannot move to the asked status: the state machine does not allow it, or Omnitron refused
 * it (for example because another batch of the same content type holds the `commit` lock).
 *
 * @group Errors
 */
export class BatchTransitionError extends ChannelAppError {
  static {
    brandClass(BatchTransitionError, 'BatchTransitionError');
  }

  /** Id of the batch request. */
  readonly batchRequestId: number;
  /** Its status before the attempt, when known. */
  readonly from: string | undefined;
  /** The status asked for. */
  readonly to: string;
  /** Omnitron's error code, when Omnitron refused (`batch_request_status_100_1`). */
  readonly omnitronCode: string | undefined;

  constructor(
    batchRequestId: number,
    from: string | undefined,
    to: string,
    reason: string,
    options: ChannelAppErrorOptions & { omnitronCode?: string } = {},
  ) {
    super(
      'BATCH_TRANSITION',
      `Batch request ${batchRequestId} cannot go from ${from ?? 'its current status'} to ${to}: ${reason}`,
      options,
    );
    this.batchRequestId = batchRequestId;
    this.from = from;
    this.to = to;
    this.omnitronCode = options.omnitronCode;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      batchRequestId: this.batchRequestId,
      from: this.from,
      to: this.to,
      omnitronCode: this.omnitronCode,
    };
  }
}
