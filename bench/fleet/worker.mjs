// @ts-check
/**
 * One worker process of `npm run bench:fleet`: a `FlowScheduler` with every channel flow of the fleet
 * registered (as every process of a real fleet would), whose flows are stubs sleeping 20–200 ms. It records
 * each run, skip and dropped slot, and answers `stop` with them, its counts, CPU time and peak RSS.
 *
 * Started by bench/fleet.mjs with the settings as JSON in argv[2].
 */
import { FLOW_NAMES, stubDuration } from './fleet-shared.mjs';

const settings = JSON.parse(process.argv[2] ?? '{}');
const { FlowScheduler } = settings.source
  ? await import('../../src/scheduler/index.ts')
  : await import('../../dist/scheduler.js');

/** @type {[number, number, number, number, number][]} [channel, flow, scheduledAt, started, ended] */
const runs = [];
/** @type {[string, number, number][]} [key, scheduledAt, dropped slots] of skipped triggers and dropped slots */
const missed = [];
let errors = 0;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the warnings the bench counts (skips, dropped slots) and counts errors; drops the rest. */
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (/** @type {Record<string, any>} */ fields, /** @type {string} */ message) => {
    const key = `${fields.channelId}:${fields.flow}`;
    const at = Date.parse(fields.scheduledAt);
    if (message.startsWith('skipped')) missed.push([key, at, 0]);
    else if (message.startsWith('scheduled runs dropped')) missed.push([key, at, fields.dropped]);
  },
  error: () => {
    errors += 1;
  },
};

/** A FlowResult with nothing in it: the bench measures the scheduler, not the flows. */
const empty = (/** @type {string} */ flow) => ({
  flow,
  batchRequest: null,
  batchRequests: [],
  counts: { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
  items: [],
  reports: { sent: 0, failedToSend: 0 },
  acknowledged: 0,
});

const scheduler = new FlowScheduler({
  connection: { url: settings.redisUrl },
  queueName: settings.queue,
  logger,
  ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
  ...(settings.lockTtl ? { lockTtl: settings.lockTtl } : {}),
});
const flows = FLOW_NAMES.slice(0, settings.flows);
for (let c = 0; c < settings.channels; c += 1) {
  /** @type {Record<string, (options: unknown, context: { scheduledAt: Date, jobId: string }) => Promise<unknown>>} */
  const runner = {};
  flows.forEach((flow, f) => {
    runner[flow] = async (_options, context) => {
      const started = Date.now();
      await sleep(stubDuration(`${context.jobId}`));
      runs.push([c, f, context.scheduledAt.getTime(), started, Date.now()]);
      return empty(flow);
    };
  });
  scheduler.register({
    id: `ch-${c}`,
    service: () => /** @type {never} */ (runner),
    flows: Object.fromEntries(flows.map((flow) => [flow, { every: settings.every }])),
  });
}

const cpuAtStart = process.cpuUsage();
const wallAtStart = Date.now();
await scheduler.start();
process.send?.({ type: 'ready' });
process.on('message', async (/** @type {{ type: string }} */ message) => {
  if (message.type !== 'stop') return;
  await scheduler.stop();
  const cpu = process.cpuUsage(cpuAtStart);
  process.send?.(
    {
      type: 'done',
      runs,
      missed,
      errors,
      counts: scheduler.counts(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: Date.now() - wallAtStart,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    },
    () => process.exit(0),
  );
});
