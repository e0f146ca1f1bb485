import type { SoakReport } from './soak.js';

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
    ...report.violations.slice(0, 50).map((v) => `  - ${v}`),
    ...(report.violations.length > 50 ? [`  … and ${report.violations.length - 50} more`] : []),
  ];
  if (report.violations.length > 0 && report.workerErrors.length > 0)
    lines.push('last worker errors:', ...report.workerErrors.map((e) => `  ${e}`));
  return lines.join('\n');
}
