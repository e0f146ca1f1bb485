import { type ChildProcess, fork } from 'node:child_process';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowResult } from '../../src/index.js';
import type { FlowRunContext, FlowRunner } from '../../src/scheduler/index.js';
import { type HeldLock, RunLock } from '../../src/scheduler/run-lock.js';
import { capturingLogger } from '../support.js';
import { emptyResult, queueName, redisUrl, sleep, testScheduler, until } from './redis-schedulers.js';

const result = emptyResult();

/** A runner whose fetchAndCreateOrder records its context and returns after `ms`. */
function recording(contexts: FlowRunContext[], ms = 0): FlowRunner {
  return {
    fetchAndCreateOrder: async (_options: unknown, context: FlowRunContext) => {
      contexts.push(context);
      await sleep(ms);
      return result;
    },
  } as unknown as FlowRunner;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The next message of `type` from a child process. */
function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: string }) => m.type === type && resolve(m as T));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before "${type}"`)));
  });
}

describe.skipIf(!redisUrl)('takeover of a dead worker’s runs (real Redis)', () => {
  it('runs the interrupted run again, same job, within a few seconds of a SIGKILL', async () => {
    const name = queueName();
    const lockTtl = 1000;
    // Only the child has a worker at first, so it is the one that takes the job.
    const producer = testScheduler({ queueName: name, lockTtl }).register({
      id: 'acme',
      service: () => recording([]),
      flows: {},
    });
    await producer.start({ worker: false });
    const child = fork(
      new URL('./fixtures/stalling-worker.ts', import.meta.url),
      [JSON.stringify({ redisUrl, queueName: name, lockTtl })],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    children.push(child);
    await message(child, 'ready');
    const started = message<{ jobId: string }>(child, 'started');
    const job = await producer.runNow('acme', 'fetchAndCreateOrder');
    expect((await started).jobId).toBe(job.id);

    child.kill('SIGKILL');
    const killedAt = Date.now();
    const contexts: FlowRunContext[] = [];
    const logs: string[] = [];
    const survivor = testScheduler({ queueName: name, lockTtl, logger: capturingLogger(logs) }).register({
      id: 'acme',
      service: () => recording(contexts),
      flows: {},
    });
    await survivor.start();
    await until(() => contexts.length > 0);
    const tookOverAfter = Date.now() - killedAt;

    // Measured at about 1.1 s with a 1 s lock TTL (BullMQ's stall check, then the expired run lock).
    expect(tookOverAfter).toBeLessThan(10_000);
    expect(contexts[0]?.jobId).toBe(job.id);
    expect(contexts[0]?.attempt).toBe(1);
    await until(async () => (await producer.queue?.getJob(job.id ?? ''))?.finishedOn !== undefined);
    expect(await (await producer.queue?.getJob(job.id ?? ''))?.getState()).toBe('completed');
    expect(survivor.counts()).toMatchObject({ started: 1, finished: 1, resumed: 1, skipped: 0 });
    expect(logs.some((l) => l.startsWith('warn flow run started again: the worker running it stopped'))).toBe(
      true,
    );
  });

  it('waits for a dead holder’s lock to expire, then runs the trigger (not a skip)', async () => {
    const contexts: FlowRunContext[] = [];
    const logs: string[] = [];
    const s = testScheduler({ lockTtl: 1000, logger: capturingLogger(logs) }).register({
      id: 'acme',
      service: () => recording(contexts),
      flows: {},
    });
    await s.start();
    const queue = s.queue as Queue;
    const redis = (await queue.client) as unknown as {
      set(key: string, value: string, px: 'PX', ttl: number): Promise<unknown>;
    };
    // What a worker killed mid-run leaves: its run lock, which nobody renews any more.
    await redis.set(`${queue.name}:run-lock:acme:fetchAndCreateOrder`, 'dead-holder', 'PX', 800);
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(() => contexts.length === 1);
    expect(contexts[0]?.jobId).toBe(job.id);
    expect(s.counts()).toMatchObject({ waited: 1, skipped: 0, started: 1 });
    expect(logs.some((l) => l.startsWith('info run lock held: waiting'))).toBe(true);
    expect(logs.some((l) => l.startsWith('warn skipped'))).toBe(false);
  });

  it('waits behind the run that took a dead holder’s lock, then runs (a slot due during an outage is not lost)', async () => {
    const contexts: FlowRunContext[] = [];
    const s = testScheduler({ lockTtl: 1000 }).register({
      id: 'acme',
      service: () => recording(contexts),
      flows: {},
    });
    await s.start();
    const queue = s.queue as Queue;
    const client = (await queue.client) as unknown as {
      set(key: string, value: string, px: 'PX', ttl: number): Promise<unknown>;
    };
    const key = `${queue.name}:run-lock:acme:fetchAndCreateOrder`;
    // A worker killed mid-run left its lock; the trigger comes due and waits for it to expire.
    await client.set(key, 'dead-worker/1', 'PX', 600);
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(() => s.counts().waited === 1);
    // The dead worker's resumed run (another worker) takes the lock as soon as it expires, before the trigger.
    const resumed = new RunLock((await queue.client) as never, {
      ttl: 1000,
      prefix: `${queue.name}:run-lock`,
    });
    const taken: HeldLock[] = [];
    await until(async () => {
      const lock = await resumed.acquire('acme:fetchAndCreateOrder');
      if (lock) taken.push(lock);
      return lock !== null;
    });
    await sleep(1500); // the resumed run goes on, renewing its lock, past the trigger's look
    expect(contexts).toHaveLength(0);
    await taken[0]?.release();
    await until(() => contexts.length === 1);
    expect(contexts[0]?.jobId).toBe(job.id);
    expect(s.counts()).toMatchObject({ skipped: 0, started: 1 });
  });

  it('skips, logs at warn and counts a trigger whose channel flow is still running elsewhere', async () => {
    const logs: string[] = [];
    const s = testScheduler({ lockTtl: 1000, logger: capturingLogger(logs) }).register({
      id: 'acme',
      service: () => recording([]),
      flows: {},
    });
    await s.start();
    const queue = s.queue as Queue;
    // A live run on another worker: it holds the lock and renews it.
    const live = await new RunLock((await queue.client) as never, {
      ttl: 1000,
      prefix: `${queue.name}:run-lock`,
    }).acquire('acme:fetchAndCreateOrder');
    expect(live).not.toBeNull();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(async () => (await queue.getJob(job.id ?? ''))?.finishedOn !== undefined);
    const done = await queue.getJob(job.id ?? '');
    expect(done?.returnvalue).toMatchObject({ skipped: true });
    expect(s.counts()).toMatchObject({ waited: 1, skipped: 1, started: 0 });
    expect(
      logs.filter((l) => l.startsWith('warn skipped: another run of this flow is in progress')),
    ).toHaveLength(1);
    await live?.release();
  });
});

describe.skipIf(!redisUrl)('the run context (real Redis)', () => {
  it('calls the flow as a method of its runner, so a class such as OrderService keeps its `this`', async () => {
    class Runner {
      readonly #seen: FlowRunContext[];
      constructor(seen: FlowRunContext[]) {
        this.#seen = seen;
      }
      async fetchAndCreateOrder(_options: unknown, context: FlowRunContext): Promise<FlowResult> {
        this.#seen.push(context);
        return result;
      }
    }
    const contexts: FlowRunContext[] = [];
    const s = testScheduler({ attempts: 1 }).register({
      id: 'acme',
      service: () => new Runner(contexts) as unknown as FlowRunner,
      flows: {},
    });
    await s.start();
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(async () => (await s.queue?.getJob(job.id ?? ''))?.finishedOn !== undefined);
    expect(await (await s.queue?.getJob(job.id ?? ''))?.getState()).toBe('completed');
    expect(contexts.map((c) => c.jobId)).toEqual([job.id]);
  });

  it('gives the flow its job id and scheduled time: the slot for a schedule, the add time for runNow', async () => {
    const contexts: FlowRunContext[] = [];
    const s = testScheduler().register({
      id: 'acme',
      service: () => recording(contexts),
      flows: { fetchAndCreateOrder: { every: 200 } },
    });
    await s.start();
    await until(() => contexts.length >= 2);
    const schedulers = await s.queue?.getJobSchedulers(0, -1);
    const offset = Number(schedulers?.[0]?.offset);
    for (const context of contexts.slice(0, 2)) {
      expect(context.scheduledAt.getTime() % 200).toBe(offset);
      expect(context.jobId).toBe(`repeat:acme:fetchAndCreateOrder:${context.scheduledAt.getTime()}`);
      expect(context).toMatchObject({ channelId: 'acme', flow: 'fetchAndCreateOrder', attempt: 1 });
      expect(context.signal).toBeInstanceOf(AbortSignal);
    }
    const job = await s.runNow('acme', 'fetchAndCreateOrder');
    await until(() => contexts.some((c) => c.jobId === job.id));
    expect(contexts.find((c) => c.jobId === job.id)?.scheduledAt.getTime()).toBe(job.timestamp);
  });
});
