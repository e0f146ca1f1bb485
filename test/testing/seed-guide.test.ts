import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../src/testing/index.js';

// The testing guide lists the seed so adapter authors need not read it at run time; this keeps the two equal.
const guide = readFileSync(new URL('../../docs/testing-your-adapter.md', import.meta.url), 'utf8');

/** The guide's section on the seed: from its heading to the next second-level heading. */
function seedSection(): string {
  const start = guide.indexOf('## What the in-memory Omnitron starts with');
  if (start < 0) throw new Error('the testing guide has no section on the seed');
  const end = guide.indexOf('\n## ', start + 1);
  return guide.slice(start, end < 0 ? undefined : end);
}

/** The body rows of the table whose header row has exactly these cells, with backticks removed. */
function table(...header: string[]): string[][] {
  const lines = seedSection().split('\n');
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim().replace(/`/g, ''));
  const at = lines.findIndex(
    (line) => line.trim().startsWith('|') && cells(line).join('\u0000') === header.join('\u0000'),
  );
  if (at < 0) throw new Error(`no table headed ${header.join(' | ')}`);
  const rows: string[][] = [];
  // Skip the header and its |---| separator; the table ends at the first line that is not a row.
  for (const line of lines.slice(at + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(cells(line));
  }
  return rows;
}

/** Cargo companies in code order, so the guide may list them in any order. */
const byCode = (list: readonly { erpCode?: string; name?: string; shippingCompany?: string }[]) =>
  [...list].sort((a, b) => String(a.erpCode).localeCompare(String(b.erpCode)));

describe('the testing guide lists DEFAULT_SEED', () => {
  it('names the country', () => {
    expect(seedSection()).toContain(
      `**Country:** ${DEFAULT_SEED.country.name} (code \`${DEFAULT_SEED.country.code}\`)`,
    );
  });

  it('lists every city with its townships and districts, and nothing else', () => {
    const cities: Record<string, Record<string, string[]>> = {};
    for (const [city = '', township = '', districts = ''] of table('City', 'Township', 'Districts')) {
      cities[city] ??= {};
      cities[city][township] = districts.split(',').map((d) => d.trim());
    }
    expect(cities).toEqual(DEFAULT_SEED.cities);
  });

  it('lists every cargo company code with its name and shipping company', () => {
    const listed = table('Code', 'Name', 'Shipping company').map(([erpCode, name, shippingCompany]) => ({
      erpCode,
      name,
      shippingCompany,
    }));
    expect(byCode(listed)).toEqual(byCode(DEFAULT_SEED.cargoCompanies));
  });

  it('lists every product id', () => {
    const listed = table('Product id').map(([id]) => id);
    expect([...listed].sort()).toEqual([...DEFAULT_SEED.products].sort());
  });

  it('lists every reason code with the Omnitron reason id it maps to', () => {
    const listed = Object.fromEntries(
      table('Reason code', 'Omnitron reason id').map(([code, id]) => [code, Number(id)]),
    );
    expect(listed).toEqual(DEFAULT_SEED.conf.reason_mapping);
    // The guide says unknown codes fail; that holds only while the seed has no fallback reason.
    expect(DEFAULT_SEED.conf).not.toHaveProperty('cancellation_reason_id');
  });

  it('names the customer match key', () => {
    expect(seedSection()).toContain(
      `\`CUSTOMER_IDENTIFIER_FIELD\` is \`${DEFAULT_SEED.conf.CUSTOMER_IDENTIFIER_FIELD}\``,
    );
  });
});
