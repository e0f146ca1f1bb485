import { CreateFateUnknownError } from '../../errors/omnitron-errors.js';
import type { KeyedLock, LockLease, WithLockOptions } from '../../locks/keyed-lock.js';

/**
 * Runs a find-or-create under the lock of its key. When the create's fate is unknown
 * (`CreateFateUnknownError`), the key stays held until Omnitron should have settled it: another run that
 * wants the same object (a webhook beside the scheduled import, another process) waits, then finds it,
 * instead of creating a second one while the first may still be on its way.
 */
export function withCreateLock<T>(
  lock: KeyedLock,
  key: string,
  fn: (lease?: LockLease) => Promise<T>,
  options?: WithLockOptions,
): Promise<T> {
  return lock.withLock(
    key,
    async (lease) => {
      try {
        return await fn(lease);
      } catch (error) {
        if (error instanceof CreateFateUnknownError) lease?.holdAfter?.(error.settleUntil - Date.now());
        throw error;
      }
    },
    options,
  );
}
