// @ts-check
/**
 * `npm run bench`: the built SDK under plain `node`, against the mock Omnitron over HTTP with injected
 * latency. Prints one line of figures per flow (`--json`: one JSON object per line).
 *
 *   npm run bench -- [--flow import|update-sync|update-async|cancel|item-updates|requests-create|
 *                    requests-update|all] [--orders 2000] [--latency 10]
 *                    [--customers 50] [--concurrency 16] [--update-limit 1000] [--json]
 *                    [--unanswered 0.1] [--timeout 500]
 *                    [--cpu-prof] [--heap-prof] [--heap-snapshot-at 1800] [--memory-trace]
 *                    [--profile-dir DIR]
 *
 * `--unanswered RATE` leaves that share of customer, address and order creates without an answer (the
 * client's timeout fires and a look-up finds nothing): the import parks them and goes on, so its time stays
 * near the fault-free time. `--timeout MS` is the REST client's per-attempt timeout (default 30 000; use a
 * short one with `--unanswered`).
 *
 * Profiling (the flow process only; figures taken while profiling are inflated by the profiler):
 *   --cpu-prof           writes a V8 CPU profile (`.cpuprofile`, opens in Chrome DevTools)
 *   --heap-prof          writes a sampling allocation profile of the flow (`.heapprofile`): bytes allocated
 *                        per function, garbage included (what drives GC and the heap's growth)
 *   --heap-snapshot-at N writes a heap snapshot when the marketplace has handed out N items: what is
 *                        retained at that point (pick N near the end, where RSS peaks)
 *   --memory-trace       samples memory every 100 ms and prints the peak of each part (heap, external,
 *                        array buffers) with the item count at which it occurred, and the CPU per item
 *                        within each tenth of the run (the first tenths carry start-up and JIT warm-up)
 *   --profile-dir DIR    where profiles go (default: a new folder under the system temp folder)
 * `node bench/profile.mjs FILE...` summarizes what these write.
 *
 * The mock Omnitron runs in one child process and each flow in another, so every flow's CPU and peak RSS
 * are the SDK's own. The update, cancel, item-updates and requests flows start from orders seeded straight
 * into the mock's store (not measured); `requests-update` also from one cancellation request per order,
 * created and approved there.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_IMPORT_CONCURRENCY } from '../dist/index.js';

const FLOWS = [
  'import',
  'update-sync',
  'update-async',
  'cancel',
  'item-updates',
  'requests-create',
  'requests-update',
];
const { values } = parseArgs({
  options: {
    flow: { type: 'string', default: 'import' },
    orders: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '10' },
    concurrency: { type: 'string' },
    customers: { type: 'string', default: '50' },
    'update-limit': { type: 'string', default: '1000' },
    unanswered: { type: 'string', default: '0' },
    timeout: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-prof': { type: 'boolean', default: false },
    'heap-snapshot-at': { type: 'string' },
    'memory-trace': { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
});
if (values.help) {
  // The usage is the comment at the top of this file: print it rather than keep a second copy.
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const usage = source.slice(source.indexOf('/**') + 3, source.indexOf('*/'));
  console.log(usage.replace(/^ \* ?/gm, '').trim());
  process.exit(0);
}
const numbers = {
  orders: Number(values.orders),
  latency: Number(values.latency),
  customers: Number(values.customers),
  concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
  updateLimit: Number(values['update-limit']),
  timeout: values.timeout === undefined ? undefined : Number(values.timeout),
};
const unanswered = Number(values.unanswered);
if (!(unanswered >= 0 && unanswered <= 1)) throw new Error('--unanswered must be a share from 0 to 1');
for (const [name, value] of Object.entries(numbers)) {
  if (value === undefined) continue;
  if (!Number.isInteger(value) || value < (name === 'latency' ? 0 : 1))
    throw new Error(`--${name} must be a whole number${name === 'latency' ? '' : ' of at least 1'}`);
}
const flows = values.flow === 'all' ? FLOWS : [values.flow ?? 'import'];
for (const flow of flows)
  if (!FLOWS.includes(flow)) throw new Error(`--flow must be one of ${FLOWS.join(', ')} or all`);
if (!existsSync(new URL('../dist/index.js', import.meta.url))) throw new Error('build first: npm run build');
const snapshotAt = values['heap-snapshot-at'] === undefined ? undefined : Number(values['heap-snapshot-at']);
if (snapshotAt !== undefined && (!Number.isInteger(snapshotAt) || snapshotAt < 1))
  throw new Error('--heap-snapshot-at must be a whole number of at least 1');
const profiling = values['cpu-prof'] || values['heap-prof'] || snapshotAt !== undefined;
const profileDir = profiling
  ? (values['profile-dir'] ?? mkdtempSync(join(tmpdir(), 'sdk-bench-')))
  : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const here = (file) => new URL(file, import.meta.url);
/**
 * Sends a message to a child and waits for its answer of the same type.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ type: string } & Record<string, unknown>} message
 * @returns {Promise<any>}
 */
const ask = (child, message) =>
  new Promise((resolve, reject) => {
    const onMessage = (/** @type {any} */ answer) => {
      if (answer.type !== message.type) return;
      child.off('message', onMessage);
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer);
    };
    child.on('message', onMessage);
    if (message.type !== 'ready') child.send(message);
  });

/** @param {string} flow */
async function measure(flow) {
  // A fresh Omnitron per flow, so one flow's data does not slow the next.
  const omnitron = fork(here('./omnitron-process.mjs'), [], {
    // The mock Omnitron holds every order it receives: it must not inherit a heap cap meant for the SDK.
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      BENCH_LATENCY: String(numbers.latency),
      BENCH_UNANSWERED: String(unanswered),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await ask(omnitron, { type: 'ready' });
    if (flow !== 'import') {
      const seeded = await ask(omnitron, {
        type: 'seed',
        orders: numbers.orders,
        customers: numbers.customers,
      });
      if (seeded.created !== numbers.orders) throw new Error(`seeding created ${seeded.created} orders`);
      if (flow.startsWith('update')) await ask(omnitron, { type: 'touch', status: '450' });
      if (flow === 'requests-update') await ask(omnitron, { type: 'seed-requests', orders: numbers.orders });
    }
    const before = await ask(omnitron, { type: 'stats' });
    const job = {
      flow,
      url: ready.url,
      credentials: ready.credentials,
      channelId: ready.channelId,
      lists: ready.lists,
      ...numbers,
    };
    const execArgv = [
      ...(values['cpu-prof']
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${flow}.cpuprofile`]
        : []),
    ];
    const runner = fork(here('./flow-process.mjs'), [], {
      env: {
        ...process.env,
        BENCH_JOB: JSON.stringify({
          ...job,
          snapshotAt,
          snapshotFile: profileDir && join(profileDir, `${flow}-at-${snapshotAt}.heapsnapshot`),
          memoryTrace: values['memory-trace'],
          heapProfFile: values['heap-prof'] && profileDir && join(profileDir, `${flow}.heapprofile`),
        }),
      },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) => runner.once('exit', resolve));
    const done = await new Promise((resolve, reject) => {
      runner.once('message', resolve);
      runner.once('exit', (code) => reject(new Error(`the ${flow} process exited with ${code}`)));
    });
    // V8 writes CPU and heap profiles only when the process exits on its own, not when it is killed.
    if (profiling) {
      runner.send({ type: 'exit' });
      await exited;
    } else runner.kill();
    const after = await ask(omnitron, { type: 'stats' });
    const items = Math.max(done.items, 1);
    const figures = {
      flow,
      items: done.items,
      failed: done.failed,
      seconds: round(done.ms / 1000, 2),
      itemsPerSecond: round(done.items / (done.ms / 1000), 1),
      ...(flow === 'import' ? { ordersPerSecond: round(done.items / (done.ms / 1000), 1) } : {}),
      requestsPerItem: round((after.requests - before.requests) / items, 2),
      ...(flow === 'import'
        ? { requestsPerOrder: round((after.requests - before.requests) / items, 2) }
        : {}),
      cpuMsPerItem: round(done.cpuMs / items, 2),
      ...(flow === 'import' ? { cpuMsPerOrder: round(done.cpuMs / items, 2) } : {}),
      peakRssMb: round(done.peakRssMb, 1),
      // The import's and the streams' concurrency: the SDK's default unless the command line gave one.
      concurrency: numbers.concurrency ?? DEFAULT_IMPORT_CONCURRENCY,
      latencyMs: numbers.latency,
      customers: numbers.customers,
      ...(unanswered > 0 ? { unanswered, timeoutMs: numbers.timeout ?? 30_000 } : {}),
    };
    console.log(
      values.json
        ? JSON.stringify(figures)
        : Object.entries(figures)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    );
    if (done.memory) console.log(`${flow} memory peaks (MB, at item): ${JSON.stringify(done.memory)}`);
    if (done.cpu) {
      // CPU per item within each tenth of the run: the first tenth carries the start-up and the JIT's warm-up.
      let last = { items: 0, cpuMs: 0 };
      const tenths = done.cpu.map((/** @type {{ items: number, cpuMs: number }} */ point) => {
        const perItem = (point.cpuMs - last.cpuMs) / Math.max(1, point.items - last.items);
        last = point;
        return `${point.items}:${perItem.toFixed(2)}`;
      });
      console.log(`${flow} CPU ms per item by tenth of the run (up to item:ms): ${tenths.join(' ')}`);
    }
    if (profileDir) console.log(`${flow} profiles: ${profileDir}`);
    if (done.failed > 0) {
      console.error(`${flow}: ${done.failed} items failed; first: ${done.first}`);
      process.exitCode = 1;
    }
  } finally {
    omnitron.send({ type: 'stop' });
  }
}

/** @param {number} value @param {number} digits */
function round(value, digits) {
  return Number(value.toFixed(digits));
}

for (const flow of flows) await measure(flow);
