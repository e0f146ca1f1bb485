import { instrumentsOf } from './meter.js';
import { refreshQueueGauges } from './queue-telemetry.js';

/**
 * Lateness buckets, in seconds: from a run taken at once by an idle worker (milliseconds) to one that
 * waited behind a long run of the same flow or for a free worker for an hour.
 */
const LATENESS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

const meters = instrumentsOf((meter) => ({
  lateness: meter.createHistogram('channel_app.scheduler.run.lateness', {
    unit: 's',
    description:
      'How late a run started after its slot on the schedule (or after runNow added it), by flow and trigger.',
    advice: { explicitBucketBoundaries: LATENESS_BUCKETS },
  }),
}));

/**
 * Records how late a run started: `lateMs` after its slot. `trigger` says whether the slot came from a
 * schedule or from `runNow`.
 */
export function recordRunLateness(flow: string, trigger: 'schedule' | 'run_now', lateMs: number): void {
  refreshQueueGauges();
  meters().lateness.record(Math.max(0, lateMs) / 1000, {
    'channel_app.flow': flow,
    'channel_app.scheduler.trigger': trigger,
  });
}
