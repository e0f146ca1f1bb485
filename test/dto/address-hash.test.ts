import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressHash } from '../../src/dto/address.js';
import type { ChannelAddress } from '../../src/dto/index.js';

// addressHash matches addresses Omnitron already holds: its normalisation must stay exactly Turkish lower
// case, whatever shortcut computes it.

const FIELDS = [
  'firstName',
  'lastName',
  'country',
  'city',
  'township',
  'district',
  'line',
  'postcode',
  'phoneNumber',
  'email',
  'companyName',
  'taxNo',
  'taxOffice',
  'identityNumber',
  'retailStore',
] as const;

/** The hash as first defined: every field trimmed and lower-cased by ICU in Turkish. */
function reference(customerId: number, address: Partial<Record<(typeof FIELDS)[number], string>>): string {
  const parts = [customerId, ...FIELDS.map((f) => (address[f] ?? '').trim().toLocaleLowerCase('tr'))];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const SAMPLES = [
  'ISTANBUL',
  'İstanbul',
  'IĞDIR',
  'Iğdır',
  'Diyarbakır',
  'ŞIRNAK',
  'Çankaya',
  'KIZILAY MAH. ATATÜRK BLV. NO:12/3',
  'Ataşehir',
  '  BAŞAKŞEHİR  ',
  'ILLINOIS',
  'info@EXAMPLE.com',
  'I',
  'i',
  'ı',
  'İ',
  '',
  'Mixed Case Street 1',
  'Straße',
  'ΣΊΣΥΦΟΣ',
];

describe('addressHash', () => {
  it('normalises every field as Turkish lower case, ASCII or not', () => {
    for (const [i, sample] of SAMPLES.entries()) {
      const address = Object.fromEntries(
        FIELDS.map((f, j) => [f, SAMPLES[(i + j) % SAMPLES.length] ?? sample]),
      );
      expect(addressHash(7, address as unknown as ChannelAddress)).toBe(reference(7, address));
    }
  });

  it('treats case and surrounding blanks as the same address, and Turkish I as ı', () => {
    const base = { firstName: 'Ayşe', lastName: 'Yılmaz', city: 'ISPARTA', line: 'Main 1' };
    const same = { firstName: ' ayşe', lastName: 'YILMAZ ', city: 'ısparta', line: 'main 1' };
    const other = { ...base, city: 'isparta' };
    const hash = (a: object) => addressHash(1, a as unknown as ChannelAddress);
    expect(hash(same)).toBe(hash(base));
    // In Turkish, `I` lower-cases to `ı`, not `i`: ISPARTA and isparta are not the same text.
    expect(hash(other)).not.toBe(hash(base));
  });
});
