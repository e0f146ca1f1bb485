// @ts-check
/**
 * Runs one flow of the built SDK against the benchmark's Omnitron and reports its figures: wall time, CPU
 * (user + system) of this process during the flow, and this process's peak RSS. One process per flow, so
 * each peak is that flow's own.
 */
import { ChannelIntegration, OmnitronRestIntegration, OrderService } from '../dist/index.js';
import { allSucceeded } from '../dist/testing.js';
import { generatedCancel, generatedOrder } from './generated-data.mjs';

const job = JSON.parse(process.env.BENCH_JOB ?? '{}');

/** A marketplace that makes its data up as it is read and accepts every update. */
class GeneratedChannel extends ChannelIntegration {
  acknowledged = 0;

  async *getOrders() {
    for (let i = 0; i < job.orders; i += 1) yield { data: generatedOrder(i, i % job.customers) };
  }

  async *getCancelledOrders() {
    for (let i = 0; i < job.orders; i += 1) yield { data: generatedCancel(i) };
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

const omnitron = new OmnitronRestIntegration({
  baseUrl: job.url,
  ...job.credentials,
  channelId: job.channelId,
});
const service = new OrderService({ omnitron, channel: new GeneratedChannel() });
const keepOutcomes = 'failures';

/** Runs the flow; returns how many items it handled and how many failed. */
async function run() {
  if (job.flow === 'import') {
    const result = await service.fetchAndCreateOrder({
      ...(job.concurrency ? { concurrency: job.concurrency } : {}),
      keepOutcomes,
    });
    return {
      items: result.counts.created,
      failed: result.counts.failed,
      first: result.items[0]?.error?.message,
    };
  }
  if (job.flow === 'cancel') {
    const result = await service.fetchAndCreateCancel({ keepOutcomes });
    return {
      items: result.counts.created + result.counts.updated,
      failed: result.counts.failed,
      first: result.items[0]?.error?.message,
    };
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

const cpuBefore = process.cpuUsage();
const started = performance.now();
const outcome = await run();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.send?.({
  type: 'done',
  ...outcome,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
});
