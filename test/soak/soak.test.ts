import { describe, expect, it } from 'vitest';
import { formatReport } from '../../soak/report.js';
import { scenariosNamed } from '../../soak/scenarios.js';
import { runSoak } from '../../soak/soak.js';

/** The Redis the soak uses; without it the soak is skipped, as the other Redis tests are. */
const redisUrl = process.env.REDIS_URL;

/**
 * A mix of the scenarios, with how long each is active: about a minute and a half in all, plus the
 * settling. Each way an Omnitron departs from the SDK's expectations that once broke it is here; the long
 * form (`npm run soak -- --scenario all --minutes N`) runs every scenario for longer.
 */
const MIX = [
  { name: 'baseline', activeFor: 20_000 },
  { name: 'unique-off', activeFor: 10_000 },
  { name: 'faults', activeFor: 15_000 },
  { name: 'filters-closed', activeFor: 10_000 },
  { name: 'pages-ignored', activeFor: 10_000 },
  { name: 'slow-creates', activeFor: 10_000 },
  { name: 'clock-behind', activeFor: 10_000 },
] as const;

describe.skipIf(!redisUrl)('the whole app, soaked (short form of npm run soak)', () => {
  for (const { name, activeFor } of MIX) {
    it(`keeps both sides in step in the ${name} scenario: no violation of any invariant`, async () => {
      const [scenario] = scenariosNamed(name);
      const report = await runSoak({
        scenario: scenario as NonNullable<typeof scenario>,
        seed: 20261202,
        activeFor,
        workers: 2,
        killEvery: [8000, 15_000],
        settleFor: 45_000,
        redisUrl: redisUrl as string,
      });
      expect(report.figures.orders).toBeGreaterThan(0);
      expect(report.violations, formatReport(report)).toEqual([]);
    }, 180_000); // Generous: activity, settling (at most 45 s) and stopping the workers, on a shared machine.
  }
});
