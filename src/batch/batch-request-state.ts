import type { BatchRequestStatus } from '../dto/batch-request.js';

/**
 * The batch request state machine, as Omnitron enforces it:
 * `initialized → commit (→ commit)* → sent_to_remote → ongoing`, and every non-terminal state may end in
 * `done` or `fail`. `done` and `fail` are terminal.
 */
const ALLOWED: Record<BatchRequestStatus, readonly BatchRequestStatus[]> = {
  initialized: ['commit', 'done', 'fail'],
  commit: ['commit', 'sent_to_remote', 'done', 'fail'],
  sent_to_remote: ['ongoing', 'done', 'fail'],
  ongoing: ['done', 'fail'],
  done: [],
  fail: [],
};

/** Whether a batch request may go from one status to another. */
export function canTransition(from: BatchRequestStatus, to: BatchRequestStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Whether a status is final (`done` or `fail`). */
export function isTerminal(status: BatchRequestStatus): boolean {
  return status === 'done' || status === 'fail';
}

/** Statuses in which a batch still waits for the marketplace's asynchronous answer. */
export const AWAITING_REMOTE_STATUSES: readonly BatchRequestStatus[] = ['sent_to_remote', 'ongoing'];
