import { describe, expect, it } from 'vitest';
import {
  InvalidOptionsError,
  OmnitronError,
  OmnitronNetworkError,
  OmnitronRestIntegration,
  type OmnitronRestIntegrationOptions,
  type TokenStore,
} from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

const CHANNEL = { pk: 1, name: 'c', channel_type: 'x', catalog: 1, is_active: true, conf: {} };
const FAST = { limit: 1, baseDelay: 1, backoffLimit: 5 };

/** An Omnitron whose login and channel work. */
const healthy = () =>
  tinyServer((req, res) =>
    req.url === '/api/v1/auth/login/' ? json(res, 200, { key: 'tok-robust-1234' }) : json(res, 200, CHANNEL),
  );

function construct(options: Record<string, unknown>): unknown {
  try {
    new OmnitronRestIntegration({
      baseUrl: 'https://omnitron.example.com',
      username: 'u',
      password: 'p',
      channelId: 1,
      ...options,
    } as OmnitronRestIntegrationOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the transport under odd options and failing helpers', () => {
  it('refuses a misspelt option, at the top and inside retry, naming it', () => {
    const top = construct({ timeOut: 5 });
    expect(top).toBeInstanceOf(InvalidOptionsError);
    expect((top as InvalidOptionsError).message).toContain('timeOut');
    const nested = construct({ retry: { limits: 9 } });
    expect(nested).toBeInstanceOf(InvalidOptionsError);
    expect((nested as InvalidOptionsError).message).toContain('limits');
  });

  it('refuses a backoff too long for a timer instead of overflowing it', () => {
    expect(construct({ retry: { backoffLimit: 2 ** 31 } })).toBeInstanceOf(InvalidOptionsError);
  });

  it('works with the largest timeout accepted (a deadline past the timer limit is clamped, not fired at once)', async () => {
    const server = await healthy();
    const omnitron = probe(server.url, {
      timeout: 2 ** 31 - 1,
      retry: { limit: 3, baseDelay: 1, backoffLimit: 2 ** 31 - 1 },
    });
    await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
  });

  it('goes on without a token store that fails or hangs', async () => {
    const server = await healthy();
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => new Promise(() => {}), // never answers
      delete: () => Promise.reject(new Error('redis down')),
    };
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (o: unknown) => warnings.push(o) };
    const omnitron = probe(server.url, { timeout: 200, retry: FAST, tokenStore: broken, logger });
    await expect(omnitron.getChannel()).resolves.toMatchObject({ id: 1 });
    expect(warnings.length).toBeGreaterThanOrEqual(2);
  });

  it('a deadline passing while a refused token is renewed is a typed error', async () => {
    let logins = 0;
    const server = await tinyServer((req, res) => {
      if (req.url !== '/api/v1/auth/login/') return json(res, 401, { detail: 'Invalid token.' });
      logins += 1;
      // The first login works; the fresh one after the 401 never answers.
      if (logins === 1) json(res, 200, { key: 'tok-robust-1234' });
    });
    const omnitron = probe(server.url, { timeout: 5000, deadline: 400, retry: FAST });
    const error = await omnitron.getChannel().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OmnitronError);
    expect(error).toBeInstanceOf(OmnitronNetworkError);
    expect((error as OmnitronNetworkError).timedOut).toBe(true);
  });
});
