import { type ChildProcess, fork } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowRunContext, FlowRunner } from '../../src/scheduler/index.js';
import { capturingLogger } from '../support.js';
import { emptyResult, queueName, redisUrl, sleep, testScheduler, until } from './redis-schedulers.js';

/*
 * A worker SIGKILLed while it runs five channel flows: how long until another worker runs the interrupted
 * runs again, and whether the slots that came due meanwhile run (once) or are skipped. The figures are
 * printed; TAKEOVER_LOCK_TTL and TAKEOVER_EVERY measure other settings (10000 and 5000 for the defaults).
 */
const lockTtl = Number(process.env.TAKEOVER_LOCK_TTL ?? 2000);
const every = Number(process.env.TAKEOVER_EVERY ?? 1000);
const channels = ['c1', 'c2', 'c3', 'c4', 'c5'];

interface ChildStart {
  channelId: string;
  jobId: string;
  scheduledAt: number;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe.skipIf(!redisUrl)(
  'takeover of five scheduled channel flows after a SIGKILL (real processes)',
  () => {
    it('runs each interrupted run again within the lock TTL of the kill, and every slot due meanwhile once', async () => {
      const name = queueName();
      const child = fork(
        new URL('./fixtures/stalling-worker.ts', import.meta.url),
        [JSON.stringify({ redisUrl, queueName: name, lockTtl, channels, every })],
        { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
      );
      children.push(child);
      const interrupted: ChildStart[] = [];
      child.on('message', (m: { type: string } & ChildStart) => {
        if (m.type === 'started') interrupted.push(m);
      });
      await new Promise((resolve) =>
        child.on('message', (m: { type: string }) => m.type === 'ready' && resolve(m)),
      );
      await until(
        () => new Set(interrupted.map((s) => s.channelId)).size === channels.length,
        3 * every + 15_000,
      );

      const runs: (FlowRunContext & { startedAt: number })[] = [];
      const logs: string[] = [];
      const survivor = testScheduler({ queueName: name, lockTtl, logger: capturingLogger(logs) });
      for (const id of channels)
        survivor.register({
          id,
          service: () =>
            ({
              fetchAndCreateOrder: async (_options: unknown, context: FlowRunContext) => {
                runs.push({ ...context, startedAt: Date.now() });
                await sleep(20);
                return emptyResult();
              },
            }) as unknown as FlowRunner,
          flows: { fetchAndCreateOrder: { every } },
        });
      await survivor.start();
      child.kill('SIGKILL');
      const killedAt = Date.now();
      const resumedAt = (start: ChildStart) => runs.find((r) => r.jobId === start.jobId)?.startedAt;
      await until(() => interrupted.every((s) => resumedAt(s) !== undefined), 10 * lockTtl);
      const takeovers = interrupted.map((s) => (resumedAt(s) ?? 0) - killedAt);
      // The channel flow's first run after the kill: the interrupted run, or a slot that came due meanwhile.
      const firstRuns = interrupted.map(
        (s) =>
          Math.min(...runs.filter((r) => r.channelId === s.channelId).map((r) => r.startedAt)) - killedAt,
      );
      // Past the outage: every channel flow has run a slot due well after the takeover.
      const settled = killedAt + 2 * lockTtl + every;
      await until(
        () => channels.every((c) => runs.some((r) => r.channelId === c && r.scheduledAt.getTime() > settled)),
        10 * lockTtl + 20_000,
      );

      const report: Record<string, unknown> = {
        lockTtl,
        every,
        takeoverMs: takeovers,
        firstRunMs: firstRuns,
      };
      for (const start of interrupted) {
        // The slots after the interrupted one, up to the last seen, each exactly once: none skipped or dropped.
        const slots = runs
          .filter((r) => r.channelId === start.channelId && r.jobId !== start.jobId)
          .map((r) => r.scheduledAt.getTime())
          .sort((a, b) => a - b);
        const last = slots.at(-1) ?? start.scheduledAt;
        const expected: number[] = [];
        for (let slot = start.scheduledAt + every; slot <= last; slot += every) expected.push(slot);
        report[start.channelId] = { dueDuringOutage: expected.filter((s) => s < killedAt + lockTtl).length };
        expect(slots).toEqual(expected);
      }
      console.log('takeover figures', JSON.stringify(report));
      expect(interrupted).toHaveLength(channels.length);
      expect(survivor.counts()).toMatchObject({ skipped: 0, dropped: 0, resumed: channels.length });
      // The bounds the guide gives: the channel flow runs again within about one lock TTL of the kill, and
      // the interrupted run, when a slot took the lock first, a poll (a tenth of the TTL) after that ended.
      for (const ms of firstRuns) expect(ms).toBeLessThan(lockTtl + 1000);
      for (const ms of takeovers) expect(ms).toBeLessThan(lockTtl * 1.5 + 1000);
    });
  },
);
