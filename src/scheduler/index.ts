/**
 * Run the order flows on a schedule with BullMQ (Redis), across workers, one run at a time per channel
 * flow. Needs `bullmq` installed next to `channel-app-sdk`.
 *
 * @packageDocumentation
 */

export { RedisKeyedLock, type RedisKeyedLockOptions } from '../locks/redis-keyed-lock.js';
export { type FailedItem, type FlowSummary, summarize } from './flow-summary.js';
export { type HeldLock, type LockRedis, RunLock } from './run-lock.js';
export { RunLockLostError } from './run-lock-lost-error.js';
export {
  type ChannelRegistration,
  type FlowFailure,
  type FlowRunner,
  type FlowSchedule,
  FlowScheduler,
  type FlowSchedulerOptions,
  type JobData,
  type RedisUrl,
  type ScheduledFlow,
  type SkippedRun,
} from './scheduler.js';
