import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildChannelOrder,
  createMockOmnitronServer,
  type MockOmnitronServer,
} from '../../src/testing/index.js';
import { queueName, redisUrl, testHandler, until, webhookRequest } from './intake-support.js';

const CHILD = fileURLToPath(new URL('./kill/worker-child.ts', import.meta.url));

type ChildMessage = 'ready' | { active: string } | { completed: string };

interface Child {
  process: ChildProcess;
  messages: ChildMessage[];
  exited: Promise<NodeJS.Signals | number | null>;
  stderr: () => string;
}

const children: Child[] = [];
const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Starts a webhook worker in a child process (with tsx, as users run TypeScript). */
function startWorker(env: NodeJS.ProcessEnv): Child {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const messages: ChildMessage[] = [];
  child.on('message', (message) => messages.push(message as ChildMessage));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const started = { process: child, messages, exited, stderr: () => stderr };
  children.push(started);
  return started;
}

/** Kill points: as soon as the worker took the jobs, or once an order request reached Omnitron. */
const KILL_POINTS = [
  { name: 'as soon as it took the jobs', at: 'active' },
  { name: 'while Omnitron was creating the order (the answer never came back)', at: 'create_orders' },
] as const;

describe.skipIf(!redisUrl)('a webhook worker killed with SIGKILL mid-chunk', () => {
  for (const point of KILL_POINTS) {
    it(`loses nothing when killed ${point.name}: the next worker creates each order of the chunk exactly once`, async () => {
      // Slow answers, so the job is still running when the kill comes.
      const server = await createMockOmnitronServer({ latency: 150 });
      servers.push(server);
      const name = queueName();
      const handler = testHandler({ queueName: name });
      const env = {
        REDIS_URL: redisUrl,
        QUEUE: name,
        OMNITRON_URL: server.url,
        OMNITRON_USERNAME: server.credentials.username,
        OMNITRON_PASSWORD: server.credentials.password,
      };
      // Three jobs queued before the worker starts: one chunk, imported in one run.
      const orders = [buildChannelOrder(), buildChannelOrder(), buildChannelOrder()];
      const jobIds = orders.map((order) => `acme-1:order:${order.remoteId}`);
      for (const order of orders)
        expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
      const states = () => Promise.all(jobIds.map((id) => handler.queue.getJobState(id)));

      const first = startWorker(env);
      const createRequests = () =>
        server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/create_orders/')).length;
      if (point.at === 'active')
        await until(
          () => first.messages.filter((m) => typeof m === 'object' && 'active' in m).length === orders.length,
        );
      else await until(() => createRequests() >= 1);
      first.process.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      expect(first.messages.some((m) => typeof m === 'object' && 'completed' in m)).toBe(false);
      // The jobs are neither lost nor done: they wait, still `active`, for their dead worker's lock to expire.
      expect(await states()).toEqual(jobIds.map(() => 'active'));

      const second = startWorker(env);
      await until(async () => (await states()).every((state) => state === 'completed'), 30_000);
      expect(second.stderr()).not.toMatch(/Error/);
      const numbers = [...server.store.orders.values()].map((o) => o.number).sort();
      expect(numbers).toEqual(orders.map((o) => o.number).sort());
      const statuses = await Promise.all(
        jobIds.map(async (id) => {
          const result = (await handler.queue.getJob(id))?.returnvalue as { items: { status: string }[] };
          return result.items[0]?.status;
        }),
      );
      for (const status of statuses) expect(['created', 'already_present']).toContain(status);
      // Killed after Omnitron made an order: the re-run recognised it rather than making a second one.
      if (point.at === 'create_orders') expect(statuses).toContain('already_present');
    }, 60_000);
  }
});
