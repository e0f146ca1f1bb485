import type { SoakReport } from './soak.js';

/** Violations counted by kind: the same line with its names and numbers taken out, most frequent first. */
function kinds(violations: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of violations) {
    const kind = v.replace(/^(\S+) \S+:/, '$1 …:').replace(/\d+/g, 'N');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** A soak's report as text: figures, faults and behaviours fired, and each violation. */
export function formatReport(report: SoakReport): string {
  const pairs = (values: Record<string, number>) =>
    Object.entries(values)
      .filter(([, n]) => n !== 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `== ${report.scenario} (seed ${report.seed}) ==`,
    `figures: ${pairs(report.figures)}`,
    `faults fired: ${pairs(report.faults)}`,
    `behaviours fired: ${pairs(report.behaviour)}`,
    `settled: ${report.settledAfter === null ? 'no' : `after ${report.settledAfter} ms`}`,
    `violations: ${report.violations.length}`,
    ...kinds(report.violations).map(([kind, n]) => `  ${n} × ${kind}`),
    'each violation:',
    ...report.violations.slice(0, 50).map((v) => `  - ${v}`),
    ...(report.violations.length > 50 ? [`  … and ${report.violations.length - 50} more`] : []),
  ];
  if (report.violations.length > 0 && report.workerErrors.length > 0)
    lines.push('last worker errors:', ...report.workerErrors.map((e) => `  ${e}`));
  return lines.join('\n');
}
