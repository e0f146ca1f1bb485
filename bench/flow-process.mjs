// @ts-check
/**
 * Runs one flow of the built SDK against the benchmark's Omnitron and reports its figures: wall time, CPU
 * (user + system) of this process during the flow, and this process's peak RSS. One process per flow, so
 * each peak is that flow's own.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';
import { ChannelIntegration, OmnitronRestIntegration, OrderService } from '../dist/index.js';
import {
  generatedCancel,
  generatedCancellationRequest,
  generatedItemUpdate,
  generatedOrder,
} from './generated-data.mjs';

const job = JSON.parse(process.env.BENCH_JOB ?? '{}');
// Only the update flows need the testing entry (for `allSucceeded`), and it loads vitest and chai: the
// import and cancel flows leave it out so their RSS and CPU are the SDK's alone.
const { allSucceeded } = job.flow.startsWith('update')
  ? await import('../dist/testing.js')
  : { allSucceeded: () => [] };
/** Items handed out by the marketplace so far: the memory trace and the heap snapshot are placed by it. */
let handedOut = 0;

/** Called as the marketplace hands out each item: takes the heap snapshot when `--heap-snapshot-at` asks. */
function handOut() {
  handedOut += 1;
  if (job.memoryTrace && handedOut % tenth === 0) {
    const cpu = process.cpuUsage(cpuAtStart);
    cpuCheckpoints.push({
      items: handedOut,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      // Wall time and the RSS peak so far: a run that slows down or grows with its length shows here.
      ms: Math.round(performance.now() - wallAtStart),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  }
  if (job.snapshotFile && handedOut === job.snapshotAt) writeHeapSnapshot(job.snapshotFile);
}

/**
 * With `--memory-trace`: the CPU and wall time used so far and the peak RSS at each tenth of the items,
 * which shows the warm-up apart, and a run that slows down or grows with its length.
 */
const cpuCheckpoints = [];
const tenth = Math.max(1, Math.floor(job.orders / 10));
/** @type {NodeJS.CpuUsage | undefined} */
let cpuAtStart;
let wallAtStart = 0;

/** The peak of each part of memory (MB) and the item count at which it occurred, for `--memory-trace`. */
const peaks = {};
/** Samples memory once; `--memory-trace` calls it every 100 ms. */
function sampleMemory() {
  for (const [part, bytes] of Object.entries(process.memoryUsage())) {
    const mb = Math.round(bytes / 1048576);
    if (!peaks[part] || mb > peaks[part].mb) peaks[part] = { mb, atItem: handedOut };
  }
}

/** A marketplace that makes its data up as it is read and accepts every update. */
class GeneratedChannel extends ChannelIntegration {
  acknowledged = 0;

  async *getOrders() {
    for (let i = 0; i < job.orders; i += 1) {
      handOut();
      yield { data: generatedOrder(i, i % job.customers, job.lists) };
    }
  }

  async *getCancelledOrders() {
    for (let i = 0; i < job.orders; i += 1) {
      handOut();
      yield { data: generatedCancel(i) };
    }
  }

  async *getUpdatedOrderItems() {
    for (let i = 0; i < job.orders; i += 1) {
      handOut();
      yield { data: generatedItemUpdate(i) };
    }
  }

  async *getCancellationRequests() {
    for (let i = 0; i < job.orders; i += 1) {
      handOut();
      yield { data: generatedCancellationRequest(i) };
    }
  }

  async updateCancellationRequest() {
    return { status: 'SUCCESS' };
  }

  /** @param {{ orders: unknown[] }} input */
  async acknowledgeOrders({ orders }) {
    this.acknowledged += orders.length;
  }

  /** @param {any} input */
  async sendUpdatedOrders({ orders, isSync }) {
    return isSync
      ? { status: 'done', results: allSucceeded(orders) }
      : { status: 'sent_to_remote', remoteBatchId: `JOB-${orders[0]?.order.id ?? 0}` };
  }

  /** @param {any} input */
  async checkOrders({ orders }) {
    return { status: 'done', results: allSucceeded(orders) };
  }
}

/**
 * `BENCH_TRACE=chunks` prints each webhook chunk's run (orders, start and duration, ms from the flow
 * process's start) on stderr; `BENCH_TRACE=requests` also each Omnitron request: where a run's time goes.
 */
const trace = process.env.BENCH_TRACE ?? '';
const traceStart = performance.now();
/** @param {string} what @param {number} start */
const traceLine = (what, start) =>
  console.error(
    `${what} start=${Math.round(start - traceStart)} ms=${Math.round(performance.now() - start)}`,
  );

/** `fetch`, printing each request's method, path and duration. @type {typeof fetch} */
const tracedFetch = async (input, init) => {
  const start = performance.now();
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  traceLine(`request ${init?.method ?? 'GET'} ${new URL(url).pathname}`, start);
  return response;
};

const omnitron = new OmnitronRestIntegration({
  ...(trace === 'requests' ? { fetch: tracedFetch } : {}),
  baseUrl: job.url,
  ...job.credentials,
  channelId: job.channelId,
  ...(job.timeout ? { timeout: job.timeout } : {}),
});
const service = new OrderService({ omnitron, channel: new GeneratedChannel() });
const keepOutcomes = 'failures';
/** `--concurrency`, for the import and the streams (cancels, line changes, cancellation requests). */
const concurrency = job.concurrency ? { concurrency: job.concurrency } : {};

/**
 * `--flow webhook`: the webhook handler behind node:http and a webhook worker, both in this process; the
 * parent posts the orders at a steady rate. Done once every job has completed; each job's completion time
 * goes back to the parent, which knows when each order was answered 202.
 */
async function webhook() {
  const { createServer } = await import('node:http');
  const { Readable } = await import('node:stream');
  const { createWebhookHandler, createWebhookWorker, verifyHmacSignature } = await import(
    '../dist/webhooks.js'
  );
  const { Queue } = await import('bullmq');
  const connection = { url: job.redisUrl };
  const queueName = `bench-webhooks-${process.pid}-${Date.now()}`;
  const handle = createWebhookHandler({
    connection,
    queueName,
    channelId: 'bench',
    // A bench Redis need not persist; production refuses one that would lose answered events.
    allowVolatileRedis: true,
    adapter: {
      verify: verifyHmacSignature({ secret: job.webhookSecret, header: 'x-bench-signature' }),
      parse: (rawBody) => ({ kind: 'order', data: JSON.parse(rawBody) }),
    },
  });
  await handle.ready();
  const completedAt = {};
  let completed = 0;
  let failed = 0;
  /** @type {() => void} */
  let allDone = () => undefined;
  const finished = new Promise((resolve) => {
    allDone = () => resolve(undefined);
  });
  /** The service, printing each chunk's run when traced. */
  const runner = trace
    ? {
        /** @type {OrderService['createOrders']} */
        createOrders: async (orders, options) => {
          const start = performance.now();
          const result = await service.createOrders(orders, options);
          traceLine(`chunk of ${orders.length}`, start);
          return result;
        },
        /** @type {OrderService['createCancel']} */
        createCancel: (cancel) => service.createCancel(cancel),
      }
    : service;
  const worker = createWebhookWorker({ connection, queueName, service: runner });
  worker.worker.on('completed', (done) => {
    completedAt[done.data.data.remoteId] = Date.now();
    completed += 1;
    if (done.returnvalue?.counts?.failed) failed += 1;
    handOut();
    if (completed === job.orders) allDone();
  });
  const server = createServer((req, res) => {
    const request = new Request(new URL(req.url ?? '/', 'http://localhost'), {
      method: req.method,
      headers: /** @type {Record<string, string>} */ (req.headers),
      body: /** @type {any} */ (Readable.toWeb(req)),
      duplex: 'half',
    });
    void handle(request).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${address.port}/webhooks/bench` });
  await finished;
  server.close();
  await worker.close();
  await handle.close();
  const queue = new Queue(queueName, { connection });
  await queue.obliterate({ force: true });
  await queue.close();
  return { items: completed - failed, failed, first: undefined, completedAt };
}

/** Runs the flow; returns how many items it handled and how many failed. */
async function run() {
  if (job.flow === 'webhook') return webhook();
  if (job.flow === 'import') {
    const result = await service.fetchAndCreateOrder({ ...concurrency, keepOutcomes });
    return {
      items: result.counts.created,
      failed: result.counts.failed,
      first: result.items[0]?.error?.message,
    };
  }
  if (job.flow === 'cancel') {
    const result = await service.fetchAndCreateCancel({ ...concurrency, keepOutcomes });
    return {
      items: result.counts.created + result.counts.updated,
      failed: result.counts.failed,
      first: result.items[0]?.error?.message,
    };
  }
  if (job.flow === 'item-updates' || job.flow === 'requests-create') {
    const result =
      job.flow === 'item-updates'
        ? await service.fetchAndUpdateOrderItems({ ...concurrency, keepOutcomes })
        : await service.fetchAndCreateCancellationRequests({ ...concurrency, keepOutcomes });
    return {
      items: result.counts.created + result.counts.updated,
      failed: result.counts.failed,
      first: result.items[0]?.error?.message,
    };
  }
  if (job.flow === 'requests-update') {
    // Runs of `limit` requests until nothing is left to send.
    let items = 0;
    let failed = 0;
    let first;
    for (;;) {
      const result = await service.updateCancellationRequests({ limit: job.updateLimit, keepOutcomes });
      if (result.counts.fetched === 0) break;
      items += result.counts.updated;
      failed += result.counts.failed;
      first ??= result.items[0]?.error?.message;
    }
    return { items, failed, first };
  }
  // Updates: runs of `limit` orders until nothing is left to send.
  const isSync = job.flow === 'update-sync';
  let items = 0;
  let failed = 0;
  let first;
  for (;;) {
    const result = await service.updateOrders({ isSync, limit: job.updateLimit, keepOutcomes });
    if (!isSync) await service.getOrderBatchRequests({ keepOutcomes });
    if (result.counts.fetched === 0) break;
    items += result.counts.fetched - result.counts.failed;
    failed += result.counts.failed;
    first ??= result.items[0]?.error?.message;
  }
  return { items, failed, first };
}

// Node's own --heap-prof keeps only what is still alive at exit; the allocation rate is what matters here,
// so the sampling includes objects the GC has since collected.
const inspector = job.heapProfFile ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 32768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !job.heapProfPromoted,
  });
}
const tracer = job.memoryTrace ? setInterval(sampleMemory, 100) : undefined;
const cpuBefore = process.cpuUsage();
cpuAtStart = cpuBefore;
const started = performance.now();
wallAtStart = started;
const outcome = await run();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (tracer) {
  clearInterval(tracer);
  sampleMemory();
}
if (inspector) {
  const { profile } = await inspector.post('HeapProfiler.stopSampling');
  writeFileSync(job.heapProfFile, JSON.stringify(profile));
  inspector.disconnect();
}
process.send?.({
  type: 'done',
  ...outcome,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  ...(job.memoryTrace ? { memory: peaks, cpu: cpuCheckpoints } : {}),
});
// When profiling, the parent asks this process to exit on its own so V8 writes the profiles.
process.on('message', (message) => {
  if (/** @type {any} */ (message)?.type === 'exit') process.exit(0);
});
