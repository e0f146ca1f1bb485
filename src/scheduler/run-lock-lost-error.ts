import { ChannelAppError } from '../errors/channel-app-error.js';
import { brandClass } from '../foundation/brand.js';

/**
 * A run's lock could not be renewed: its key was deleted, taken by another holder, or Redis did not
 * answer in time. Another run of the same channel flow may start at any moment, so the run is aborted
 * through its `AbortSignal` with this error as the reason. The code is `FLOW_ABORTED`; a later attempt
 * may run normally.
 */
export class RunLockLostError extends ChannelAppError {
  static {
    brandClass(RunLockLostError, 'RunLockLostError');
  }

  /** The lock's name: `channelId:flow`. */
  readonly lock: string;

  /**
   * @param lock - the lock's name
   * @param why - what the renewal found, such as `the key is gone or held by another run`
   */
  constructor(lock: string, why: string) {
    super(
      'FLOW_ABORTED',
      `The run lock ${lock} was lost (${why}); the run was aborted so that no other run overlaps it`,
      {
        retriable: true,
      },
    );
    this.lock = lock;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), lock: this.lock };
  }
}
