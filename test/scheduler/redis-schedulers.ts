import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach } from 'vitest';
import type { FlowResult } from '../../src/index.js';
import { type FlowRunner, FlowScheduler, type FlowSchedulerOptions } from '../../src/scheduler/index.js';

/** The Redis the scheduler tests use; without it they are skipped. */
export const redisUrl = process.env.REDIS_URL;

const started: FlowScheduler[] = [];
const queues: string[] = [];

// Registered in every test file that imports this module: schedulers stop and their queues are emptied
// after each test, so no test sees another's jobs.
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const name of queues.splice(0)) {
    const queue = new Queue(name, { connection: { url: redisUrl } as never });
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

/** A fresh queue name, emptied after the test. */
export function queueName(): string {
  const name = `test-${randomUUID()}`;
  queues.push(name);
  return name;
}

/** A scheduler on the test Redis (a fresh queue unless one is given), stopped after the test. */
export function testScheduler(options: Partial<FlowSchedulerOptions> = {}): FlowScheduler {
  const s = new FlowScheduler({
    connection: { url: redisUrl as string },
    backoffDelay: 10,
    ...options,
    queueName: options.queueName ?? queueName(),
  });
  started.push(s);
  return s;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every 20 ms; throws after `timeout` ms. */
export async function until(condition: () => boolean | Promise<boolean>, timeout = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** The result of a stub flow run that found nothing to do. */
export const emptyResult = (flow: FlowResult['flow'] = 'fetchAndCreateOrder'): FlowResult => ({
  flow,
  batchRequest: null,
  batchRequests: [],
  counts: { fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
  items: [],
  reports: { sent: 0, failedToSend: 0 },
  acknowledged: 0,
});

/** A runner whose `fetchAndCreateOrder` finds nothing to do and counts its runs in `runs.count`. */
export function countingRunner(runs: { count: number }): FlowRunner {
  return {
    fetchAndCreateOrder: async () => {
      runs.count += 1;
      return emptyResult();
    },
  } as unknown as FlowRunner;
}
