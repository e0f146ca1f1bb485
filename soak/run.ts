/**
 * `npm run soak -- --minutes N --seed S --scenario NAME [--workers N]`: runs the whole app against the mock
 * Omnitron for N minutes per scenario, then checks the invariants and prints the figures. Exits 1 when a
 * scenario has violations, 2 on a usage error, 3 when the global deadline passed. Needs REDIS_URL (a Redis
 * the soak may flush).
 */
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { scenariosNamed } from './scenarios.js';
import { runSoak } from './soak.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20261202' },
    scenario: { type: 'string', default: 'baseline' },
    workers: { type: 'string', default: '3' },
  },
});
const minutes = Number(values.minutes);
const seed = Number(values.seed);
const workers = Number(values.workers);
const redisUrl = process.env.REDIS_URL;
if (!redisUrl || !(minutes > 0) || !Number.isInteger(seed) || !(workers >= 1)) {
  process.stderr.write(
    'usage: REDIS_URL=redis://… npm run soak -- --minutes N --seed S --scenario NAME [--workers N]\n',
  );
  process.exit(2);
}
let scenarios: ReturnType<typeof scenariosNamed>;
try {
  scenarios = scenariosNamed(values.scenario);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const SETTLE = 60_000;
// The global deadline: activity, settling and a generous stop per scenario. Workers exit with us (their IPC
// channel closes), so nothing outlives it.
const deadline = scenarios.length * (minutes * 60_000 + SETTLE + 60_000);
setTimeout(() => {
  process.stderr.write(`soak: global deadline of ${Math.round(deadline / 1000)} s passed; giving up\n`);
  process.exit(3);
}, deadline).unref();

let failed = 0;
for (const scenario of scenarios) {
  const report = await runSoak({
    scenario,
    seed,
    activeFor: minutes * 60_000,
    workers,
    settleFor: SETTLE,
    redisUrl,
    flush: true,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n\n`);
  if (report.violations.length > 0) failed += 1;
}
process.stdout.write(`${scenarios.length - failed}/${scenarios.length} scenarios without violations\n`);
process.exit(failed > 0 ? 1 : 0);
