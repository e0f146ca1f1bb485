// @ts-check
/**
 * `npm run bench`: the built SDK under plain `node`, against the mock Omnitron over HTTP with injected
 * latency. Prints one line of figures per flow (`--json`: one JSON object per line).
 *
 *   npm run bench -- [--flow import|update-sync|update-async|cancel|item-updates|requests-create|
 *                    requests-update|webhook|all] [--orders 2000] [--latency 10]
 *                    [--customers 50] [--concurrency 16] [--update-limit 1000] [--json] [--rate 20]
 *                    [--unanswered 0.1] [--timeout 500]
 *                    [--cpu-prof] [--heap-prof] [--heap-prof-promoted] [--heap-snapshot-at 1800] [--memory-trace] [--trace-gc]
 *                    [--profile-dir DIR]
 *
 * `--flow webhook` posts `--orders` signed orders at a steady `--rate` per second (default 20) to the
 * webhook handler over HTTP, with a webhook worker in the same process (the SDK's defaults: chunks of up to
 * 50 orders gathered for 500 ms). It needs Redis: `REDIS_URL` (it is skipped, saying so, without one; it
 * uses a queue of its own and removes it). Besides requests per order it prints the batch requests made and
 * the lag from each 202 answer to its job's completion (the order created, its batch request done): p50,
 * p99 and max, and p99 over the second half of the orders (the steady state, without the start-up). `all`
 * runs it only when `REDIS_URL` is set. `BENCH_TRACE=chunks` prints each chunk's run (orders, start,
 * duration), `BENCH_TRACE=requests` each Omnitron request too, to see where the lag comes from.
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
 *   --heap-prof-promoted the same, leaving out what a scavenge collected: only what was promoted to the old
 *                        space (live data, and garbage that lived long enough to grow the old space until
 *                        a full collection: what drives the peak RSS)
 *   --heap-snapshot-at N writes a heap snapshot when the marketplace has handed out N items: what is
 *                        retained at that point (pick N near the end, where RSS peaks)
 *   --memory-trace       samples memory every 100 ms and prints the peak of each part (heap, external,
 *                        array buffers) with the item count at which it occurred; and within each tenth
 *                        of the run the CPU per item (the first tenths carry start-up and JIT warm-up),
 *                        the items per second and the peak RSS so far (a run that slows down or grows
 *                        with its length)
 *   --trace-gc           passes --trace-gc to the flow process: V8 prints every collection, with the heap
 *                        before and after it (how much survives each scavenge, when the old space grows)
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
  'webhook',
];
const redisUrl = process.env.REDIS_URL;
const { values } = parseArgs({
  options: {
    flow: { type: 'string', default: 'import' },
    orders: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '10' },
    concurrency: { type: 'string' },
    customers: { type: 'string', default: '50' },
    'update-limit': { type: 'string', default: '1000' },
    unanswered: { type: 'string', default: '0' },
    rate: { type: 'string', default: '20' },
    timeout: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-prof': { type: 'boolean', default: false },
    'heap-prof-promoted': { type: 'boolean', default: false },
    'heap-snapshot-at': { type: 'string' },
    'memory-trace': { type: 'boolean', default: false },
    'trace-gc': { type: 'boolean', default: false },
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
  rate: Number(values.rate),
};
const unanswered = Number(values.unanswered);
if (!(unanswered >= 0 && unanswered <= 1)) throw new Error('--unanswered must be a share from 0 to 1');
for (const [name, value] of Object.entries(numbers)) {
  if (value === undefined) continue;
  if (!Number.isInteger(value) || value < (name === 'latency' ? 0 : 1))
    throw new Error(`--${name} must be a whole number${name === 'latency' ? '' : ' of at least 1'}`);
}
const flows =
  values.flow === 'all' ? FLOWS.filter((f) => f !== 'webhook' || redisUrl) : [values.flow ?? 'import'];
for (const flow of flows)
  if (!FLOWS.includes(flow)) throw new Error(`--flow must be one of ${FLOWS.join(', ')} or all`);
if (!existsSync(new URL('../dist/index.js', import.meta.url))) throw new Error('build first: npm run build');
const snapshotAt = values['heap-snapshot-at'] === undefined ? undefined : Number(values['heap-snapshot-at']);
if (snapshotAt !== undefined && (!Number.isInteger(snapshotAt) || snapshotAt < 1))
  throw new Error('--heap-snapshot-at must be a whole number of at least 1');
if (values['heap-prof-promoted']) values['heap-prof'] = true;
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

/**
 * Posts `numbers.orders` signed orders to the webhook handler at `numbers.rate` per second, each on its own
 * schedule (a slow answer does not delay the next post); returns when each was answered 202.
 * @param {string} url
 * @param {import('./generated-data.mjs').SeedLists} lists
 * @param {string} secret
 * @returns {Promise<Record<string, number>>}
 */
async function pushOrders(url, lists, secret) {
  const { createHmac } = await import('node:crypto');
  const { generatedOrder } = await import('./generated-data.mjs');
  /** @type {Record<string, number>} */
  const answeredAt = {};
  const start = performance.now();
  const posts = [];
  for (let i = 0; i < numbers.orders; i += 1) {
    const due = start + (i * 1000) / numbers.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const order = generatedOrder(i, i % numbers.customers, lists);
    const body = JSON.stringify(order);
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    posts.push(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bench-signature': signature },
        body,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
        answeredAt[order.remoteId] = Date.now();
      }),
    );
  }
  await Promise.all(posts);
  return answeredAt;
}

/** @param {number[]} sorted @param {number} share */
function percentile(sorted, share) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)] ?? 0;
}

/** @param {string} flow */
async function measure(flow) {
  if (flow === 'webhook' && !redisUrl) {
    console.log('webhook: skipped, it needs Redis: set REDIS_URL (redis://host:port/db)');
    return;
  }
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
    if (flow !== 'import' && flow !== 'webhook') {
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
      ...(flow === 'webhook' ? { redisUrl, webhookSecret: 'bench-webhook-secret' } : {}),
    };
    const execArgv = [
      ...(values['cpu-prof']
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${flow}.cpuprofile`]
        : []),
      ...(values['trace-gc'] ? ['--trace-gc'] : []),
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
          heapProfPromoted: values['heap-prof-promoted'],
        }),
      },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) => runner.once('exit', resolve));
    /** @type {Promise<Record<string, number>> | undefined} */
    let pushed;
    const done = await new Promise((resolve, reject) => {
      runner.on('message', (/** @type {any} */ message) => {
        if (message.type === 'listening') {
          pushed = pushOrders(message.url, ready.lists, job.webhookSecret ?? '');
          pushed.catch(reject);
        } else resolve(message);
      });
      runner.once('exit', (code) => reject(new Error(`the ${flow} process exited with ${code}`)));
    });
    const answeredAt = pushed ? await pushed : undefined;
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
      ...(flow === 'import' || flow === 'webhook'
        ? { requestsPerOrder: round((after.requests - before.requests) / items, 2) }
        : {}),
      batchRequests: after.batches - before.batches,
      ...(answeredAt ? lagFigures(answeredAt, done.completedAt) : {}),
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
      let last = { items: 0, cpuMs: 0, ms: 0 };
      /** @type {string[]} */
      const rates = [];
      const tenths = done.cpu.map(
        (/** @type {{ items: number, cpuMs: number, ms: number, peakRssMb: number }} */ point) => {
          const items = Math.max(1, point.items - last.items);
          const perItem = (point.cpuMs - last.cpuMs) / items;
          rates.push(
            `${point.items}:${Math.round((items * 1000) / Math.max(1, point.ms - last.ms))}/${point.peakRssMb}`,
          );
          last = point;
          return `${point.items}:${perItem.toFixed(2)}`;
        },
      );
      console.log(`${flow} CPU ms per item by tenth of the run (up to item:ms): ${tenths.join(' ')}`);
      // Items per second within each tenth and the flow process's peak RSS so far: a flow (or a mock) that
      // slows down with the size of the run, or a process that grows with it, shows here.
      console.log(`${flow} items/s and peak RSS MB by tenth (up to item:rate/MB): ${rates.join(' ')}`);
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

/**
 * Lag from each order's 202 answer to its job's completion, in ms.
 * @param {Record<string, number>} answeredAt
 * @param {Record<string, number>} completedAt
 */
function lagFigures(answeredAt, completedAt) {
  // In the order the orders were answered: the second half shows the steady state, without the first
  // runs' start-up (JIT warm-up, every customer and address new to Omnitron).
  const inOrder = Object.entries(answeredAt)
    .sort((a, b) => a[1] - b[1])
    .map(([remoteId, at]) => (completedAt[remoteId] ?? Number.NaN) - at);
  if (inOrder.some((lag) => Number.isNaN(lag))) throw new Error('an answered order has no completed job');
  const lags = [...inOrder].sort((a, b) => a - b);
  const steady = inOrder.slice(Math.floor(inOrder.length / 2)).sort((a, b) => a - b);
  return {
    ratePerSecond: numbers.rate,
    lagP50Ms: percentile(lags, 0.5),
    lagP99Ms: percentile(lags, 0.99),
    lagMaxMs: lags.at(-1),
    secondHalfLagP99Ms: percentile(steady, 0.99),
  };
}

/** @param {number} value @param {number} digits */
function round(value, digits) {
  return Number(value.toFixed(digits));
}

for (const flow of flows) await measure(flow);
