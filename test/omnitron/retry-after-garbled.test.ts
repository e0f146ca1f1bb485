import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/omnitron/retry-after.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const CHANNEL = { pk: 1, name: 'c', channel_type: 'x', catalog: 1, is_active: true, conf: {} };

describe('a Retry-After that is not a number of seconds or an HTTP date', () => {
  it.each(['soon', '120s', 'x 1'])('is ignored: %j reads as no Retry-After', (value) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }))).toBeUndefined();
  });

  it('still reads seconds and an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs(new Headers({ 'Retry-After': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:05 GMT' }), now)).toBe(5000);
  });

  it.each(['soon', '120s'])(
    'Retry-After: %j gets the normal backoff, not a wait of maxRetryAfter',
    async (value) => {
      let calls = 0;
      const server = await tinyServer((req, res) => {
        if (req.url === '/api/v1/auth/login/') return json(res, 200, { key: 'tok-retry-after-1234' });
        calls += 1;
        if (calls === 1) json(res, 503, { detail: 'busy' }, { 'Retry-After': value });
        else json(res, 200, CHANNEL);
      });
      // Backoff of a few ms; a wait of maxRetryAfter would take 20 s.
      const omnitron = probe(server.url, { maxRetryAfter: 20_000 });
      const started = Date.now();
      await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
      expect(calls).toBe(2);
      expect(Date.now() - started).toBeLessThan(8000);
    },
    30_000,
  );
});
