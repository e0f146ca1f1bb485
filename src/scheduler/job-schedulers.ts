import { createHash } from 'node:crypto';
import type { JobSchedulerTemplateOptions, JobsOptions, Queue, RepeatOptions } from 'bullmq';
import type { JobData, SkippedRun } from './flow-job.js';
import type { FlowSummary } from './flow-summary.js';
import type { ScheduledFlow } from './scheduled-flow.js';
import type { ChannelRegistration, FlowSchedule } from './scheduler-options.js';

/** One job scheduler the scheduler keeps in Redis: a registered channel flow and its schedule. */
export interface SchedulerSpec {
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  template: { name: string; data: JobData; opts: JobSchedulerTemplateOptions };
}

/**
 * A channel flow's place in its interval, in `[1, every)`: a hash of its name, so it is the same in every
 * worker and after every restart, and differs between channel flows, spreading a fleet's runs over the
 * interval instead of firing them all in the same millisecond. Never 0: BullMQ reads an offset of 0 as
 * "none" and starts from the current time instead.
 */
export function scheduleOffset(name: string, every: number): number {
  const hash = createHash('sha256').update(name).digest().readUInt32BE(0);
  return 1 + (hash % (every - 1));
}

/** The job schedulers a set of registered channels needs. */
export function schedulerSpecs(
  channels: Iterable<ChannelRegistration>,
  jobOptions: JobsOptions,
): SchedulerSpec[] {
  const specs: SchedulerSpec[] = [];
  for (const channel of channels) {
    for (const [flow, schedule] of Object.entries(channel.flows) as [ScheduledFlow, FlowSchedule][]) {
      const id = `${channel.id}:${flow}`;
      const repeat =
        'every' in schedule
          ? { every: schedule.every, offset: scheduleOffset(id, schedule.every) }
          : { pattern: schedule.pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) };
      const data = {
        channelId: channel.id,
        flow,
        ...(schedule.options ? { options: schedule.options } : {}),
      };
      specs.push({ id, repeat, template: { name: id, data, opts: jobOptions } });
    }
  }
  return specs;
}

/**
 * Writes every job scheduler at start. One written by an older version (or with another offset) on the
 * same interval keeps its old slot across an upsert, so it is removed first: that is what moves a fleet's
 * existing schedules off the shared millisecond.
 */
export async function writeSchedulers(
  queue: Queue<JobData, FlowSummary | SkippedRun>,
  specs: readonly SchedulerSpec[],
): Promise<void> {
  const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  for (const spec of specs) {
    const found = existing.get(spec.id);
    const { every, offset } = spec.repeat;
    if (
      found &&
      every !== undefined &&
      found.every === every &&
      typeof found.next === 'number' &&
      found.next % every !== offset
    )
      await queue.removeJobScheduler(spec.id);
    await queue.upsertJobScheduler(spec.id, spec.repeat, spec.template);
  }
}
