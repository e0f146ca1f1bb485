import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * A shared lock (see `KeyedLock`) stayed held by someone else for longer than the caller would wait. The
 * work it guards was not done; trying again later may succeed.
 *
 * @group Errors
 */
export class LockTimeoutError extends ChannelAppError {
  static {
    brandClass(LockTimeoutError, 'LockTimeoutError');
  }

  /** How long the caller waited, in ms. */
  readonly waitedMs: number;

  constructor(what: string, waitedMs: number) {
    super('LOCK_TIMEOUT', `Waited ${waitedMs} ms for the lock of ${what}; another run still holds it`, {
      retriable: true,
    });
    this.waitedMs = waitedMs;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), waitedMs: this.waitedMs };
  }
}
