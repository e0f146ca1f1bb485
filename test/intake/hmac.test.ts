import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/index.js';
import { verifyHmacSignature } from '../../src/intake/index.js';

const secret = 'hmac-secret-for-tests-91';
const body = new TextEncoder().encode('{"type":"order","data":{"remoteId":"R-1"}}');
const digest = (algorithm = 'sha256', key = secret) => createHmac(algorithm, key).update(body);
const request = (headers: Record<string, string>) =>
  new Request('http://localhost/hook', { method: 'POST', headers });

describe('verifyHmacSignature', () => {
  it('accepts the right hex signature, in either letter case, after the prefix', () => {
    const verify = verifyHmacSignature({ secret, header: 'X-Signature', prefix: 'sha256=' });
    const hex = digest().digest('hex');
    expect(verify(request({ 'x-signature': `sha256=${hex}` }), body)).toBe(true);
    expect(verify(request({ 'x-signature': `sha256=${hex.toUpperCase()}` }), body)).toBe(true);
  });

  it('accepts a base64 signature and other algorithms when told', () => {
    const verify = verifyHmacSignature({ secret, header: 'x-sig', algorithm: 'sha512', encoding: 'base64' });
    expect(verify(request({ 'x-sig': digest('sha512').digest('base64') }), body)).toBe(true);
    expect(verify(request({ 'x-sig': digest('sha256').digest('base64') }), body)).toBe(false);
  });

  it('refuses a signature made with another secret, or of another body', () => {
    const verify = verifyHmacSignature({ secret, header: 'x-sig' });
    expect(verify(request({ 'x-sig': digest('sha256', 'another-secret').digest('hex') }), body)).toBe(false);
    const other = new TextEncoder().encode('{"type":"order","data":{"remoteId":"R-2"}}');
    expect(verify(request({ 'x-sig': digest().digest('hex') }), other)).toBe(false);
  });

  it('refuses, without throwing, a missing header, a wrong prefix, bad encoding and a wrong length', () => {
    const verify = verifyHmacSignature({ secret, header: 'x-sig', prefix: 'sha256=' });
    const hex = digest().digest('hex');
    const cases: Record<string, string>[] = [
      {},
      { 'x-sig': hex }, // no prefix
      { 'x-sig': `sha1=${hex}` },
      { 'x-sig': 'sha256=' },
      { 'x-sig': `sha256=${hex.slice(0, -2)}` }, // one byte short: timingSafeEqual would throw on it
      { 'x-sig': `sha256=${hex}00` }, // one byte long
      { 'x-sig': `sha256=${hex.slice(0, -1)}z` }, // not hex
      { 'x-sig': `sha256=${hex.slice(0, -1)}` }, // odd length
    ];
    for (const headers of cases) expect(verify(request(headers), body), JSON.stringify(headers)).toBe(false);
  });

  it('refuses bad options with InvalidOptionsError that never shows the secret', () => {
    expect(() => verifyHmacSignature({ secret: '', header: 'x-sig' })).toThrow(InvalidOptionsError);
    let thrown: unknown;
    try {
      verifyHmacSignature({ secret, header: 'x-sig', algorithm: 'md5' as never });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    expect(inspect(thrown, { depth: Number.POSITIVE_INFINITY })).not.toContain(secret);
  });
});
