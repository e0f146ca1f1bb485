/**
 * Run the order flows on a schedule with BullMQ (Redis), across workers, one run at a time per channel
 * flow. Needs `bullmq` installed next to `channel-app-sdk`.
 *
 * @packageDocumentation
 * @module channel-app-sdk/scheduler
 */

// Only the client type: `RedisKeyedLock` takes one. The run lock itself is the scheduler's own.
export type { LockRedis } from '../locks/lock-redis.js';
export { RedisKeyedLock, type RedisKeyedLockOptions } from '../locks/redis-keyed-lock.js';
export type { RedisConnection, RedisUrl } from '../redis/connection.js';
export type { JobData, SchedulerCounts, SkippedRun } from './flow-job.js';
export { type FailedItem, type FlowSummary, summarize } from './flow-summary.js';
export { RunLockLostError } from './run-lock-lost-error.js';
export type { FlowRunContext, FlowRunner, ScheduledFlow } from './scheduled-flow.js';
export { FlowScheduler } from './scheduler.js';
export type {
  ChannelRegistration,
  CronSchedule,
  FlowFailure,
  FlowSchedule,
  FlowSchedulerOptions,
  IntervalSchedule,
} from './scheduler-options.js';
