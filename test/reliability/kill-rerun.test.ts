import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChannelOrder, createMockOmnitronServer } from '../../src/testing/index.js';
import { startKillRerunMarketplace } from './kill-rerun/marketplace.js';

/**
 * `npm test` runs a small import killed after a varying number of Omnitron requests (from 100 to 400), so
 * every run is killed mid-work however busy the machine: a clock-based kill on a loaded CI machine would
 * leave some runs no time to do anything, and on a fast one none to kill. `RELIABILITY_ORDERS=2000` runs
 * the full measurement, killed by the clock every 5 s of run time (RELIABILITY_KILL_EVERY, in ms, sets
 * the clock-based interval for any size).
 */
const FULL = process.env.RELIABILITY_ORDERS !== undefined;
const ORDERS = Number(process.env.RELIABILITY_ORDERS ?? 300);
const KILL_EVERY =
  process.env.RELIABILITY_KILL_EVERY !== undefined
    ? Number(process.env.RELIABILITY_KILL_EVERY)
    : FULL
      ? 5000
      : undefined;
/** Wall time the loop may take before the test gives up. */
const BUDGET = FULL ? 20 * 60_000 : 80_000;
/** Orders per batch request, and so at most this many orders a kill can make a run acknowledge again. */
const BATCH = 50;
const CHILD = fileURLToPath(new URL('./kill-rerun/import-child.ts', import.meta.url));

interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  report?: { counts: Record<string, number>; acknowledged: number };
}

/** When to kill a run: after `ms` of run time, or after `requests` more requests reached Omnitron. */
type KillRule = { ms: number } | { requests: number };

/**
 * Starts one import process and SIGKILLs it by the rule. The clock starts when the child has loaded the
 * SDK, so a slow start on a busy machine does not eat the run's time.
 */
function runChild(env: NodeJS.ProcessEnv, rule: KillRule, requestsSoFar: () => number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let report: RunOutcome['report'];
    let timer: NodeJS.Timeout | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (message) => {
      if (message !== 'started') {
        report = message as RunOutcome['report'];
        return;
      }
      if ('ms' in rule) {
        timer = setTimeout(() => child.kill('SIGKILL'), rule.ms);
        return;
      }
      const until = requestsSoFar() + rule.requests;
      timer = setInterval(() => {
        if (requestsSoFar() >= until) child.kill('SIGKILL');
      }, 5);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve({ code, signal, stderr, ...(report ? { report } : {}) });
    });
  });
}

/** A small seeded generator, so a failing sequence of kill points can be replayed. */
function killPoints(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return 100 + (state % 301);
  };
}

describe('an import killed with SIGKILL again and again', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(cleanup.map((close) => close()));
  });

  it(
    `finishes ${ORDERS} orders, each created once, linked and acknowledged, killed ${
      KILL_EVERY === undefined ? 'after 100-400 requests' : `every ${KILL_EVERY} ms`
    } until a run completes`,
    async () => {
      const server = await createMockOmnitronServer({ latency: 10 });
      cleanup.push(() => server.close());
      const orders = Array.from({ length: ORDERS }, () => buildChannelOrder());
      const marketplace = await startKillRerunMarketplace(orders);
      cleanup.push(() => marketplace.close());
      const env = {
        OMNITRON_URL: server.url,
        OMNITRON_USERNAME: server.credentials.username,
        OMNITRON_PASSWORD: server.credentials.password,
        MARKETPLACE_URL: marketplace.url,
      };

      const nextKillPoint = killPoints(Number(process.env.RELIABILITY_SEED ?? 20261122));
      const started = Date.now();
      let runs = 0;
      let kills = 0;
      const failedRuns: string[] = [];
      let finished = false;
      while (!finished && Date.now() - started < BUDGET) {
        runs += 1;
        const before = server.requests.length;
        const rule: KillRule = KILL_EVERY === undefined ? { requests: nextKillPoint() } : { ms: KILL_EVERY };
        const outcome = await runChild(env, rule, () => server.requests.length);
        if (process.env.RELIABILITY_VERBOSE) {
          const mine = server.requests.slice(before);
          console.log(
            `run ${runs}: ${outcome.signal ?? outcome.code}, ${mine.length} requests over ${
              (mine.at(-1)?.at ?? 0) - (mine[0]?.at ?? 0)
            } ms, ${server.store.orders.size} orders, ${marketplace.acknowledgements.size} acknowledged`,
          );
        }
        if (outcome.signal === 'SIGKILL') kills += 1;
        else if (outcome.code !== 0) failedRuns.push(outcome.stderr);
        // A run that completed read every order still offered; it is done when none is left.
        else finished = marketplace.unacknowledged() === 0;
      }
      const seconds = (Date.now() - started) / 1000;

      const numbers = [...server.store.orders.values()].map((o) => o.number);
      const duplicates = numbers.length - new Set(numbers).size;
      const acks = [...marketplace.acknowledgements.values()];
      const reAcknowledged = acks.reduce((sum, n) => sum + n - 1, 0);
      const unlinked = orders.filter(
        (o) =>
          server.store.listIntegrationActions({ contentType: 'order', remoteIds: [o.remoteId] }).length !== 1,
      ).length;
      const figures = {
        orders: ORDERS,
        kill: KILL_EVERY === undefined ? 'after 100-400 requests' : `every ${KILL_EVERY} ms`,
        kills,
        runs,
        failedRuns: failedRuns.length,
        seconds,
        created: server.store.orders.size,
        duplicates,
        acknowledged: marketplace.acknowledgements.size,
        acknowledgements: acks.reduce((a, b) => a + b, 0),
        reAcknowledged,
        unlinked,
        requests: server.requests.length,
      };
      console.log(`kill-rerun figures: ${JSON.stringify(figures)}`);

      expect(failedRuns, failedRuns.join('\n---\n')).toEqual([]);
      expect(finished, 'a run completed with every order acknowledged').toBe(true);
      // Created exactly once, linked to its marketplace id, acknowledged at least once.
      expect(duplicates).toBe(0);
      expect(server.store.orders.size).toBe(ORDERS);
      expect(unlinked).toBe(0);
      expect(marketplace.acknowledgements.size).toBe(ORDERS);
      // A kill between a batch's `done` and its acknowledgement re-acknowledges at most that batch.
      expect(reAcknowledged).toBeLessThanOrEqual(kills * BATCH);
      expect(kills, 'the test killed the import at least once').toBeGreaterThanOrEqual(1);
    },
    BUDGET + 30_000,
  );
});
