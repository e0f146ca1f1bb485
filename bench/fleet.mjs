// @ts-check
/**
 * `npm run bench:fleet`: a fleet of channels on one Redis. Starts N worker processes, each a FlowScheduler
 * with the same C channels × F flows every E ms (stub flows sleeping 20–200 ms), runs them for W seconds and
 * prints what happened to every slot that came due in that window.
 *
 *   npm run bench:fleet -- [--workers 3] [--channels 200] [--flows 3] [--every 5000] [--seconds 60]
 *                          [--concurrency N] [--lock-ttl MS] [--redis URL] [--source] [--json]
 *
 *   --redis URL    the Redis to use (default $FLEET_REDIS_URL or redis://127.0.0.1:6379/15). Its database is
 *                  FLUSHED first, so database 0 is refused: give the bench a database of its own.
 *   --concurrency  flows each worker runs at once (default: the scheduler's default)
 *   --source       run the TypeScript sources through tsx instead of the build (no `npm run build` needed;
 *                  CPU and RSS then include tsx)
 *   --json         one JSON line instead of the table
 *
 * Figures: runs/expected (slots due in the window that ran), skipped (triggers skipped by the lock) and
 * dropped (slots lost because a run started over one interval late), missing (neither: should be 0),
 * duplicates (a slot run twice: should be 0), overlaps (two runs of one channel flow at once: should be 0),
 * lateness p50/p99/max (start minus slot), the least-served channel flow, each worker's share of the runs,
 * its CPU (% of one core over its life) and peak RSS.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { FLOW_NAMES } from './fleet/fleet-shared.mjs';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '3' },
    channels: { type: 'string', default: '200' },
    flows: { type: 'string', default: '3' },
    every: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '60' },
    concurrency: { type: 'string' },
    'lock-ttl': { type: 'string' },
    redis: { type: 'string', default: process.env.FLEET_REDIS_URL ?? 'redis://127.0.0.1:6379/15' },
    source: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  console.log(
    source
      .slice(source.indexOf('/**') + 3, source.indexOf('*/'))
      .replace(/^ \* ?/gm, '')
      .trim(),
  );
  process.exit(0);
}

/** A whole number option, at least `min`. */
function whole(/** @type {string} */ name, /** @type {string | undefined} */ value, min = 1) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return n;
}
const workers = whole('workers', values.workers);
const channels = whole('channels', values.channels);
const flows = whole('flows', values.flows);
if (flows > FLOW_NAMES.length) throw new Error(`--flows must be at most ${FLOW_NAMES.length}`);
const every = whole('every', values.every, 10);
const seconds = whole('seconds', values.seconds);
const concurrency = values.concurrency === undefined ? undefined : whole('concurrency', values.concurrency);
const lockTtl = values['lock-ttl'] === undefined ? undefined : whole('lock-ttl', values['lock-ttl'], 1000);
const redisUrl = values.redis ?? '';
if (!/^rediss?:\/\//.test(redisUrl)) throw new Error('--redis must be a redis:// URL');
if (Number(new URL(redisUrl).pathname.slice(1) || 0) === 0)
  throw new Error(
    'the bench flushes its Redis database: give it one of its own (--redis redis://host:6379/15)',
  );
if (!values.source && !existsSync(new URL('../dist/scheduler.js', import.meta.url)))
  throw new Error('build first (npm run build), or pass --source');

const queueName = 'fleet-bench';
const queue = new Queue(queueName, { connection: { url: redisUrl } });
queue.on('error', (error) => console.error(`bench queue: ${error.message}`));
const redis = await queue.client;
await redis.flushdb();

const settings = {
  redisUrl,
  queue: queueName,
  channels,
  flows,
  every,
  concurrency,
  lockTtl,
  source: values.source,
};
const children = Array.from({ length: workers }, () =>
  fork(new URL('./fleet/worker.mjs', import.meta.url), [JSON.stringify(settings)], {
    execArgv: values.source ? ['--import', 'tsx'] : [],
  }),
);
/** The first message of `type` from a child. */
const next = (/** @type {import('node:child_process').ChildProcess} */ child, /** @type {string} */ type) =>
  new Promise((resolve, reject) => {
    child.on(
      'message',
      (/** @type {{ type: string }} */ message) => message.type === type && resolve(message),
    );
    child.on('exit', (code) => reject(new Error(`a worker exited (${code}) before it said ${type}`)));
  });
await Promise.all(children.map((child) => next(child, 'ready')));

// The window starts once every worker has written the schedules; the slots due in it are the expected runs.
const t0 = Date.now();
const t1 = t0 + seconds * 1000;
const offsets = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, Number(s.offset ?? 0)]));
await new Promise((resolve) => setTimeout(resolve, t1 - Date.now()));
// Slots late in the window are given time to run: up to two intervals, and the longest stub flow.
await new Promise((resolve) => setTimeout(resolve, Math.min(2 * every, 10_000) + 500));
const results = await Promise.all(
  children.map((child) => {
    const done = next(child, 'done');
    child.send({ type: 'stop' });
    return done;
  }),
);
await queue.close();

/** Slots `k × every + offset` in [t0, t1). */
const slotsIn = (/** @type {number} */ offset) =>
  Math.max(0, Math.ceil((t1 - offset) / every) - Math.ceil((t0 - offset) / every));
const flowNames = FLOW_NAMES.slice(0, flows);
const expectedBy = new Map();
for (let c = 0; c < channels; c += 1)
  for (const flow of flowNames) {
    const key = `ch-${c}:${flow}`;
    expectedBy.set(key, slotsIn(offsets.get(key) ?? 0));
  }
const expected = [...expectedBy.values()].reduce((a, b) => a + b, 0);
const inWindow = (/** @type {number} */ at) => at >= t0 && at < t1;

/** @type {Map<string, [number, number][]>} */
const windows = new Map();
const seen = new Set();
const lateness = [];
const ranBy = new Map();
let duplicates = 0;
const share = results.map(() => 0);
results.forEach((result, w) => {
  for (const [c, f, scheduledAt, started, ended] of result.runs) {
    const key = `ch-${c}:${flowNames[f]}`;
    windows.set(key, [...(windows.get(key) ?? []), [started, ended]]);
    if (!inWindow(scheduledAt)) continue;
    const slot = `${key}@${scheduledAt}`;
    if (seen.has(slot)) duplicates += 1;
    seen.add(slot);
    lateness.push(started - scheduledAt);
    ranBy.set(key, (ranBy.get(key) ?? 0) + 1);
    share[w] += 1;
  }
});
let skipped = 0;
let dropped = 0;
for (const result of results)
  for (const [, at, slots] of result.missed) {
    if (slots === 0 && inWindow(at)) skipped += 1;
    for (let k = 1; k <= slots; k += 1) if (inWindow(at + k * every)) dropped += 1;
  }
let overlaps = 0;
for (const list of windows.values()) {
  list.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < list.length; i += 1) if ((list[i]?.[0] ?? 0) < (list[i - 1]?.[1] ?? 0)) overlaps += 1;
}
const ran = seen.size;
lateness.sort((a, b) => a - b);
const pct = (/** @type {number} */ p) =>
  lateness[Math.min(lateness.length - 1, Math.floor(p * lateness.length))] ?? 0;
let leastServed = { key: '', ran: 0, expected: 0 };
let leastRatio = Number.POSITIVE_INFINITY;
for (const [key, want] of expectedBy) {
  if (want === 0) continue;
  const got = ranBy.get(key) ?? 0;
  if (got / want < leastRatio) {
    leastRatio = got / want;
    leastServed = { key, ran: got, expected: want };
  }
}
const figures = {
  workers,
  channels,
  flows,
  every,
  seconds,
  concurrency: concurrency ?? 'default',
  expected,
  ran,
  skipped,
  dropped,
  missing: expected - ran - skipped - dropped,
  duplicates,
  overlaps,
  latenessMs: { p50: pct(0.5), p99: pct(0.99), max: lateness.at(-1) ?? 0 },
  leastServed,
  perWorker: results.map((result, w) => ({
    share: ran ? Number((share[w] / ran).toFixed(3)) : 0,
    cpuPercent: Number(((100 * result.cpuMs) / result.wallMs).toFixed(1)),
    maxRssMb: Math.round(result.maxRssMb),
    errors: result.errors,
    counts: result.counts,
  })),
};
if (values.json) console.log(JSON.stringify(figures));
else {
  const f = figures;
  console.log(
    `fleet: ${workers} workers, ${channels} channels × ${flows} flows every ${every} ms, ${seconds} s`,
  );
  console.log(
    `runs/expected ${f.ran}/${f.expected}  skipped ${f.skipped}  dropped ${f.dropped}  missing ${f.missing}`,
  );
  console.log(`duplicates ${f.duplicates}  overlaps ${f.overlaps}`);
  console.log(`lateness p50 ${f.latenessMs.p50} ms  p99 ${f.latenessMs.p99} ms  max ${f.latenessMs.max} ms`);
  console.log(`least served ${leastServed.key}: ${leastServed.ran}/${leastServed.expected}`);
  for (const [i, w] of f.perWorker.entries())
    console.log(
      `worker ${i + 1}: ${(w.share * 100).toFixed(1)}% of runs, CPU ${w.cpuPercent}% of a core, peak RSS ${w.maxRssMb} MB, ${w.errors} errors`,
    );
}
