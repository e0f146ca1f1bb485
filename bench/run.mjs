// @ts-check
/**
 * `npm run bench`: the built SDK under plain `node`, against the mock Omnitron over HTTP with injected
 * latency. Prints one line of figures per flow (`--json`: one JSON object per line).
 *
 *   npm run bench -- [--flow import|update-sync|update-async|cancel|all] [--orders 2000] [--latency 10]
 *                    [--customers 50] [--concurrency 16] [--update-limit 1000] [--json]
 *
 * The mock Omnitron runs in one child process and each flow in another, so every flow's CPU and peak RSS
 * are the SDK's own. The update and cancel flows start from orders seeded straight into the mock's store
 * (not measured).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const FLOWS = ['import', 'update-sync', 'update-async', 'cancel'];
const { values } = parseArgs({
  options: {
    flow: { type: 'string', default: 'import' },
    orders: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '10' },
    concurrency: { type: 'string' },
    customers: { type: 'string', default: '50' },
    'update-limit': { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const numbers = {
  orders: Number(values.orders),
  latency: Number(values.latency),
  customers: Number(values.customers),
  concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
  updateLimit: Number(values['update-limit']),
};
for (const [name, value] of Object.entries(numbers)) {
  if (value === undefined) continue;
  if (!Number.isInteger(value) || value < (name === 'latency' ? 0 : 1))
    throw new Error(`--${name} must be a whole number${name === 'latency' ? '' : ' of at least 1'}`);
}
const flows = values.flow === 'all' ? FLOWS : [values.flow ?? 'import'];
for (const flow of flows)
  if (!FLOWS.includes(flow)) throw new Error(`--flow must be one of ${FLOWS.join(', ')} or all`);
if (!existsSync(new URL('../dist/index.js', import.meta.url))) throw new Error('build first: npm run build');

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
    env: { ...process.env, NODE_OPTIONS: '', BENCH_LATENCY: String(numbers.latency) },
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
    }
    const before = await ask(omnitron, { type: 'stats' });
    const job = {
      flow,
      url: ready.url,
      credentials: ready.credentials,
      channelId: ready.channelId,
      ...numbers,
    };
    const runner = fork(here('./flow-process.mjs'), [], {
      env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const done = await new Promise((resolve, reject) => {
      runner.once('message', resolve);
      runner.once('exit', (code) => reject(new Error(`the ${flow} process exited with ${code}`)));
    });
    runner.kill();
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
      concurrency: numbers.concurrency ?? 'default',
      latencyMs: numbers.latency,
      customers: numbers.customers,
    };
    console.log(
      values.json
        ? JSON.stringify(figures)
        : Object.entries(figures)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    );
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
