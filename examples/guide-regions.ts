/**
 * The guides show example code as it is: a file marks the lines a guide shows with `// #region <name>` and
 * `// #endregion`, and a test checks that the guide holds those lines (without their common indentation);
 * a guide may also show an exported function whole.
 */
import { readFileSync } from 'node:fs';

/** The lines between `// #region <name>` and the next `// #endregion` of `file`, dedented. */
export function region(file: URL, name: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${name}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '// #endregion');
  if (start < 0 || end < 0) throw new Error(`region ${name} not found in ${file.pathname}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

/** An exported function's source as `file` has it, without `export ` (and its doc comment). */
export function exportedFunction(file: URL, name: string): string {
  const match = new RegExp(`^export (?:async )?function ${name}\\b[\\s\\S]*?^}$`, 'm').exec(
    readFileSync(file, 'utf8'),
  );
  if (!match) throw new Error(`function ${name} not found in ${file.pathname}`);
  return match[0].replace(/^export /, '');
}

/** A guide's text, by its path from the repository's root. */
export function guide(path: string): string {
  return readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
}
