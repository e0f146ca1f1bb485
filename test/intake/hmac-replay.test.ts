import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/index.js';
import { verifyHmacSignature } from '../../src/intake/index.js';
import { acmeAdapter, redisUrl, testHandler } from './intake-support.js';

const secret = 'hmac-replay-secret-33';
const text = '{"type":"order","data":{"remoteId":"R-1"}}';
const body = new TextEncoder().encode(text);
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The signature a sender with a replay window makes: over `timestamp.body`. */
const signAt = (timestamp: number | string, payload = text) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
const request = (headers: Record<string, string>) =>
  new Request('http://localhost/hook', { method: 'POST', headers, body: text });

describe('verifyHmacSignature with a timestamp (replay window)', () => {
  const verify = verifyHmacSignature({
    secret,
    header: 'x-sig',
    prefix: 'sha256=',
    timestampHeader: 'x-timestamp',
  });

  it('accepts a fresh request signed over timestamp.body', () => {
    const t = nowSeconds();
    expect(verify(request({ 'x-sig': signAt(t), 'x-timestamp': String(t) }), body)).toBe(true);
  });

  it('refuses a captured request replayed 10 minutes later, and one dated too far ahead', () => {
    const old = nowSeconds() - 600;
    expect(verify(request({ 'x-sig': signAt(old), 'x-timestamp': String(old) }), body)).toBe(false);
    const ahead = nowSeconds() + 600;
    expect(verify(request({ 'x-sig': signAt(ahead), 'x-timestamp': String(ahead) }), body)).toBe(false);
  });

  it('refuses a tampered timestamp, a missing or malformed one, and a signature over the body alone', () => {
    const t = nowSeconds();
    const old = t - 600;
    const bodyOnly = `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
    const cases: Record<string, string>[] = [
      { 'x-sig': signAt(old), 'x-timestamp': String(t) }, // an old capture given a fresh date
      { 'x-sig': signAt(t) },
      { 'x-sig': signAt(t), 'x-timestamp': `${t}.5` },
      { 'x-sig': signAt('abc'), 'x-timestamp': 'abc' },
      { 'x-sig': bodyOnly, 'x-timestamp': String(t) },
    ];
    for (const headers of cases) expect(verify(request(headers), body), JSON.stringify(headers)).toBe(false);
  });

  it('takes the window from toleranceSeconds, and checks the option', () => {
    const strict = verifyHmacSignature({
      secret,
      header: 'x-sig',
      timestampHeader: 'x-ts',
      toleranceSeconds: 5,
    });
    const t = nowSeconds() - 60;
    const sig = createHmac('sha256', secret).update(`${t}.${text}`).digest('hex');
    expect(strict(request({ 'x-sig': sig, 'x-ts': String(t) }), body)).toBe(false);
    expect(() =>
      verifyHmacSignature({ secret, header: 'x', timestampHeader: 'x-ts', toleranceSeconds: 0 }),
    ).toThrow(InvalidOptionsError);
    expect(() => verifyHmacSignature({ secret, header: 'x', toleranceSeconds: 60 })).toThrow(
      InvalidOptionsError,
    );
  });
});

describe.skipIf(!redisUrl)('the webhook handler with a replay window', () => {
  it('answers a replayed call 401', async () => {
    const handler = testHandler({
      adapter: {
        parse: acmeAdapter.parse,
        verify: verifyHmacSignature({
          secret,
          header: 'x-sig',
          prefix: 'sha256=',
          timestampHeader: 'x-timestamp',
        }),
      },
    });
    const old = nowSeconds() - 600;
    const response = await handler(request({ 'x-sig': signAt(old), 'x-timestamp': String(old) }));
    expect(response.status).toBe(401);
    const t = nowSeconds();
    const ignored = await handler(
      new Request('http://localhost/hook', {
        method: 'POST',
        headers: { 'x-sig': signAt(t, '{"type":"ping"}'), 'x-timestamp': String(t) },
        body: '{"type":"ping"}',
      }),
    );
    expect(ignored.status).toBe(202);
  });
});
