import { inspect } from 'node:util';
import { snapshotError } from '../errors/error-snapshot.js';
import type { SecretRedactor } from '../foundation/redact.js';

/**
 * What BullMQ may keep of a job's failure: its message becomes the job's `failedReason` and its stack the
 * job's stack trace, both stored in Redis, and the same object goes to the logs. An error showing no
 * secret anywhere is kept as it is (its type helps); any other becomes a redacted snapshot.
 */
export function storableError(thrown: unknown, redactor: SecretRedactor): Error {
  if (thrown instanceof Error && isClean(thrown, redactor)) return thrown;
  return snapshotError(thrown, redactor);
}

/** Whether an error shows no secret anywhere: message, stack, and every property down its cause chain. */
function isClean(error: Error, redactor: SecretRedactor): boolean {
  let text: string;
  try {
    text = `${error.message}\n${error.stack ?? ''}\n${inspect(error, { depth: Number.POSITIVE_INFINITY })}`;
  } catch {
    return false;
  }
  return redactor.redactText(text) === text;
}
