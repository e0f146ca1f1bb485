/**
 * The layer rules in .dependency-cruiser.cjs are checked on the SDK by `npm run check:layers` (part of
 * `npm test`). A rule that matches nothing would pass there forever, so this test builds a small tree that
 * breaks each rule once and checks that the rule, by name, reports exactly the import that breaks it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as IConfiguration;

/** One broken import per rule: [rule, importing file, imported specifier]. */
const BREAKS: [rule: string, from: string, to: string][] = [
  ['foundation-stands-alone', 'src/foundation/a.ts', '../errors/a'],
  ['values-stay-values', 'src/dto/b.ts', '../reporting/a'],
  ['errors-below-dto', 'src/errors/c.ts', '../dto/a'],
  ['ports-below-services', 'src/integrations/a.ts', '../batch/a'],
  ['services-below-engines', 'src/reporting/b.ts', '../orders/a'],
  ['flows-never-touch-http', 'src/orders/b.ts', '../omnitron/a'],
  ['flow-families-apart', 'src/orders/cancels/a.ts', '../import/a'],
  ['reconcile-only-borrows-the-import', 'src/orders/reconcile/a.ts', '../cancels/a'],
  ['run-and-common-below-families', 'src/orders/common/b.ts', '../import/a'],
  ['rest-adapter-knows-no-flow', 'src/omnitron/b.ts', '../orders/a'],
  ['rest-facade-on-top', 'src/omnitron/resources/a.ts', '../omnitron-rest-integration'],
  ['engines-below-runtimes', 'src/orders/c.ts', '../scheduler/a'],
  ['runtimes-apart', 'src/intake/a.ts', '../scheduler/a'],
  ['runtime-never-imports-testing', 'src/scheduler/b.ts', '../testing/a'],
  ['http-only-in-the-rest-adapter', 'src/intake/b.ts', 'ky'],
  ['no-cycles', 'src/batch/a.ts', './b'],
];

/** Files imported above that import nothing that breaks a rule (`b` imports `a` back to close the cycle). */
const LEAVES: [file: string, imports: string[]][] = [
  ['src/errors/a.ts', []],
  ['src/dto/a.ts', ['../errors/a']],
  ['src/reporting/a.ts', ['../integrations/a']],
  ['src/batch/b.ts', ['./a']],
  ['src/orders/a.ts', ['../batch/b']],
  ['src/orders/import/a.ts', ['../run/a', '../common/a', '../a']],
  ['src/orders/run/a.ts', []],
  ['src/orders/common/a.ts', ['../run/a', '../a']],
  ['src/orders/reconcile/b.ts', ['../import/a']],
  ['src/omnitron/a.ts', ['../integrations/a', 'ky']],
  ['src/omnitron/omnitron-rest-integration.ts', ['./a']],
  ['src/scheduler/a.ts', ['../orders/a']],
  ['src/testing/a.ts', ['../scheduler/a', '../omnitron/a']],
];

let root: string;

function write(file: string, imports: string[]): void {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${imports.map((to) => `import '${to}';`).join('\n')}\nexport const x = 1;\n`);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layers-'));
  const files = new Map<string, string[]>(LEAVES.map(([file, imports]) => [file, [...imports]]));
  for (const [, from, to] of BREAKS) files.set(from, [...(files.get(from) ?? []), to]);
  for (const [file, imports] of files) write(file, imports);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('layer rules', () => {
  it.each(BREAKS)('%s reports %s importing %s', async (rule, from) => {
    const { output } = await cruise(['src'], {
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: config.forbidden?.filter((r) => r.name === rule) },
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
    });
    const violations = typeof output === 'string' ? [] : output.summary.violations;
    expect(violations.map((v) => v.rule.name)).toContain(rule);
    expect(violations.map((v) => v.from)).toContain(from);
  });

  it('lets the layers import what the rules allow', async () => {
    const { output } = await cruise(['src'], {
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: config.forbidden?.filter((r) => r.name !== 'no-cycles') },
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
    });
    const violations = typeof output === 'string' ? [] : output.summary.violations;
    // Every violation comes from a file written to break a rule: the leaves import down the layers, and the
    // REST adapter uses ky, which only it may.
    const breakers = new Set(BREAKS.map(([, from]) => from));
    expect(violations.filter((v) => !breakers.has(v.from))).toEqual([]);
  });
});
