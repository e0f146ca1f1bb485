/**
 * `npm run bench`: imports generated orders through `OrderService.fetchAndCreateOrder` into the mock
 * Omnitron over HTTP, with injected latency, and prints one line of figures.
 *
 *   npm run bench -- --orders 10000 --latency 10 --customers 50 [--concurrency 16] [--json]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { OmnitronRestIntegration, OrderService } from '../src/index.js';
import { GeneratedChannel } from './generated-channel.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '10' },
    concurrency: { type: 'string' },
    customers: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
const orders = Number(values.orders);
const latency = Number(values.latency);
const customers = Number(values.customers);
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
for (const [name, value] of Object.entries({ orders, latency, customers, concurrency: concurrency ?? 1 })) {
  if (!Number.isInteger(value) || value < (name === 'latency' ? 0 : 1))
    throw new Error(`--${name} must be a whole number${name === 'latency' ? '' : ' of at least 1'}`);
}

const server = fork(new URL('./mock-server-process.ts', import.meta.url), [], {
  execArgv: ['--import', 'tsx'],
  // The mock Omnitron holds every order it receives: it must not inherit a heap cap meant for the client.
  env: { ...process.env, NODE_OPTIONS: '', BENCH_LATENCY: String(latency) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = <T>(child: ChildProcess, type: string) =>
  new Promise<T>((resolve) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    if (type !== 'ready') child.send({ type });
  });

const ready = await ask<{
  url: string;
  credentials: { username: string; password: string };
  channelId: number;
}>(server, 'ready');
const omnitron = new OmnitronRestIntegration({
  baseUrl: ready.url,
  ...ready.credentials,
  channelId: ready.channelId,
});
const channel = new GeneratedChannel(orders, customers);
const service = new OrderService({ omnitron, channel });

const before = await ask<{ requests: number }>(server, 'stats');
const started = performance.now();
const result = await service.fetchAndCreateOrder({
  ...(concurrency === undefined ? {} : { concurrency }),
  keepOutcomes: 'failures',
});
const seconds = (performance.now() - started) / 1000;
const after = await ask<{ requests: number }>(server, 'stats');
server.send({ type: 'stop' });

const created = result.counts.created;
const figures = {
  orders,
  created,
  failed: result.counts.failed,
  seconds: Number(seconds.toFixed(2)),
  ordersPerSecond: Number((created / seconds).toFixed(1)),
  requestsPerOrder: Number(((after.requests - before.requests) / Math.max(created, 1)).toFixed(2)),
  peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
  concurrency: concurrency ?? 'default',
  latencyMs: latency,
  customers,
};
console.log(
  values.json
    ? JSON.stringify(figures)
    : Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
);
if (result.counts.failed > 0) {
  console.error(
    `${result.counts.failed} orders failed; first: ${result.items.find((i) => i.error)?.error?.message}`,
  );
  process.exitCode = 1;
}
