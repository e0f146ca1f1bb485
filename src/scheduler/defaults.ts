import { SUMMARY_FAILURES } from './flow-summary.js';

/**
 * Every default of `FlowScheduler`, in one table. Only the resolve step (`resolveSchedulerOptions`) and the
 * run of a scheduled job (the outcomes it keeps) read it; past them every setting has a value, so no other
 * code writes `?? default` of its own.
 */
export const SCHEDULER_DEFAULTS = {
  /** The BullMQ queue of scheduled runs. */
  queueName: 'channel-app-flows',
  /**
   * Flows one worker runs at once, over all channels: 3 workers × 16 keep a fleet of 200 channels × 3 flows
   * every 5 s under 1 s of p99 lateness (`npm run bench:fleet`).
   */
  concurrency: 16,
  /** Attempts per run before it is kept as failed. */
  attempts: 3,
  /** First wait before a retry, ms, doubled each time. */
  backoffDelay: 30_000,
  /** How long a run's lock lasts without renewal, ms. */
  lockTtl: 10_000,
  /** How often the job schedulers are checked to be still in Redis, ms. */
  reconcileInterval: 30_000,
  /** Failed jobs kept for inspection when neither `keepFailed` nor `removeOnFail` is given. */
  keepFailed: 1000,
  /** Completed jobs (each with its run's summary) BullMQ keeps. */
  removeOnComplete: { count: 100 },
  /**
   * What a scheduled run keeps of its outcomes unless its options say otherwise: the failures its summary
   * lists, no more, so memory does not grow with the run (counts stay complete).
   */
  runOutcomes: { keepOutcomes: 'failures', maxOutcomes: SUMMARY_FAILURES },
} as const;
