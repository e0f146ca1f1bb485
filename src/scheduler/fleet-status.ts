import type { Queue } from 'bullmq';
import type { JobData, SkippedRun } from './flow-job.js';
import type { FlowSummary } from './flow-summary.js';
import type { LastRun, LastRunRecords } from './last-run.js';
import type { RunLock } from './run-lock.js';
import type { ScheduledFlow } from './scheduled-flow.js';

/** One channel flow as {@link FlowScheduler.fleetStatus} reports it, read from Redis. */
export interface FlowStatus {
  /** The channel's id. */
  channelId: string;
  /** The flow. */
  flow: ScheduledFlow;
  /** Its schedule as Redis holds it: `every` ms, or a cron `pattern` (and `tz`). */
  schedule: {
    /** Interval between runs, in ms, for an `every` schedule. */
    every?: number;
    /** Cron pattern, for a `pattern` schedule. */
    pattern?: string;
    /** Time zone of the cron pattern. */
    tz?: string;
  };
  /** When its next run is due; absent when Redis holds no job scheduler for it (lost, not made yet). */
  nextRunAt?: Date;
  /** How its last run ended (any worker's), if one ended in the last week. */
  lastRun?: LastRun;
  /** Triggers skipped because a live run held its lock, over the last week of records. */
  skips: number;
  /** When a trigger was last skipped. */
  lastSkippedAt?: Date;
  /** The run holding its lock now, if any: the worker's name and how long the lock lasts without renewal. */
  running?: {
    /** The worker holding the flow's run lock (its name, host and process). */
    worker: string;
    /** How long, in ms, until the lock expires unless its holder renews it. */
    lockExpiresInMs: number;
  };
}

/**
 * Every channel flow of the queue, from its job schedulers in Redis, the channel flows runs were started for
 * (kept in Redis by the workers) and those `known` to this process: its
 * schedule, next run, last run, skips and current lock holder. Read from Redis only, so it shows the whole
 * fleet, from any process, and survives the worker that ran the flows.
 */
export async function readFleetStatus(
  queue: Queue<JobData, FlowSummary | SkippedRun>,
  records: LastRunRecords,
  lock: RunLock,
  known: readonly { id: string; repeat: { every?: number; pattern?: string; tz?: string } }[],
): Promise<FlowStatus[]> {
  const flows = new Map<string, FlowStatus>();
  for (const spec of known) {
    const [channelId, flow] = splitName(spec.id);
    const { every, pattern, tz } = spec.repeat;
    flows.set(spec.id, { channelId, flow, schedule: { every, pattern, tz }, skips: 0 });
  }
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const [channelId, flow] = splitName(scheduler.key);
    flows.set(scheduler.key, {
      channelId,
      flow,
      schedule: { every: scheduler.every, pattern: scheduler.pattern, tz: scheduler.tz },
      ...(typeof scheduler.next === 'number' ? { nextRunAt: new Date(scheduler.next) } : {}),
      skips: 0,
    });
  }
  for (const name of await records.names())
    if (!flows.has(name)) {
      const [channelId, flow] = splitName(name);
      flows.set(name, { channelId, flow, schedule: {}, skips: 0 });
    }
  // Commands sent together: ioredis pipelines them on the one connection.
  const statuses = await Promise.all(
    [...flows.entries()].map(async ([name, status]) => {
      const [record, holder] = await Promise.all([records.read(name), lock.holder(name)]);
      return {
        ...status,
        schedule: withoutUndefined(status.schedule),
        ...(record.lastRun ? { lastRun: record.lastRun } : {}),
        skips: record.skips,
        ...(record.lastSkippedAt ? { lastSkippedAt: record.lastSkippedAt } : {}),
        ...(holder ? { running: { worker: holder.owner, lockExpiresInMs: holder.remaining } } : {}),
      };
    }),
  );
  // A channel flow whose records expired, with no schedule and nothing running, is history.
  const registered = new Set(known.map((spec) => spec.id));
  return statuses.filter(
    (s) => registered.has(`${s.channelId}:${s.flow}`) || s.nextRunAt || s.lastRun || s.running || s.skips > 0,
  );
}

/** `<channel id>:<flow>`: the flow is the part after the last colon (a channel id may hold colons). */
function splitName(name: string): [string, ScheduledFlow] {
  const colon = name.lastIndexOf(':');
  return [name.slice(0, colon), name.slice(colon + 1) as ScheduledFlow];
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
