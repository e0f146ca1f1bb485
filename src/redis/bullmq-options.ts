import type { KeepJobs, MetricsOptions, RateLimiterOptions } from 'bullmq';
import { z } from 'zod';

/*
 * BullMQ's own worker and job options that the scheduler and the webhook worker pass through as they are:
 * checked here once, with BullMQ's meaning, so a misspelt field is an error naming it rather than an option
 * BullMQ silently ignores.
 */

/** BullMQ's `limiter`: at most `max` jobs per `duration` ms, across every worker of the queue. */
export const LimiterSchema = z.strictObject({
  /** Jobs started per `duration`, over the whole queue (every worker counts against it). */
  max: z.number().int().min(1),
  /** The window, in ms. */
  duration: z.number().int().min(1),
}) satisfies z.ZodType<RateLimiterOptions>;

/** BullMQ's `metrics`: finished jobs counted per minute, kept in Redis for `Queue.getMetrics`. */
export const MetricsSchema = z.strictObject({
  /** Minutes of data points kept (BullMQ's default is 1, so pass one: 2 weeks is 20 160). */
  maxDataPoints: z.number().int().min(1).optional(),
}) satisfies z.ZodType<MetricsOptions>;

/**
 * BullMQ's `removeOnComplete` / `removeOnFail`: `true` removes the job when it finishes, `false` keeps every
 * job, a number keeps that many, `{ count }` keeps that many too, `{ age, count, limit }` keeps jobs younger
 * than `age` seconds (at most `count` of them, trimming at most `limit` per trim). BullMQ trims when a job
 * finishes, not on a timer. Typed as BullMQ's own option; checked more strictly (`{}` names nothing to keep).
 */
export const KeepJobsSchema: z.ZodType<boolean | number | KeepJobs, boolean | number | KeepJobs> = z.union([
  z.boolean(),
  z.number().int().nonnegative(),
  z.strictObject({
    /** Jobs kept, the newest first. */
    count: z.number().int().nonnegative(),
  }),
  z.strictObject({
    /** Jobs younger than this many seconds are kept. */
    age: z.number().int().min(1),
    /** At most this many of them. */
    count: z.number().int().nonnegative().optional(),
    /** At most this many jobs removed per trim, so a trim stays short. */
    limit: z.number().int().min(1).optional(),
  }),
]);

/**
 * A worker's name: BullMQ puts it in the worker's Redis client name, so `Queue.getWorkers()` (and Bull
 * Board) list it; Redis refuses spaces there.
 */
export const WorkerNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\s]+$/, 'must not contain spaces');
