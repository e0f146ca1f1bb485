import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from '../../src/foundation/redact.js';
import { OmnitronValidationError } from '../../src/index.js';
import { json, probe, tinyServer } from '../security/omnitron-servers.js';

/** Values the redactor was never told about: only their keys' names mark them as secret. */
const UNLISTED = {
  api_key: 'ak-UNLISTED-1a2b',
  token: 'tk-UNLISTED-3c4d',
  password: 'pw-UNLISTED-5e6f',
  secret: 'se-UNLISTED-7a8b',
  access_token: 'at-UNLISTED-9c0d',
  apikey: 'ap-UNLISTED-1e2f',
  client_secret: 'cs-UNLISTED-3a4b',
  authorization: 'au-UNLISTED-5c6d',
};
const QUERY = Object.entries(UNLISTED)
  .map(([key, value]) => `${key}=${value}`)
  .join('&');

describe('key=value secrets are redacted by the key name', () => {
  it('in a URL, its query string and a message, whatever the value', () => {
    const redactor = new SecretRedactor();
    const text = `GET https://omnitron.example.com/api/v1/orders/?page=2&${QUERY}#top failed; retry with Password=${UNLISTED.password} later`;
    const out = redactor.redactText(text);
    for (const value of Object.values(UNLISTED)) expect(out).not.toContain(value);
    expect(out).toContain(`?page=2&api_key=${REDACTED}&token=${REDACTED}&`);
    expect(out).toContain(`client_secret=${REDACTED}&authorization=${REDACTED}#top`);
    expect(out).toContain(`Password=${REDACTED} later`);
  });

  it('a header-style name such as x-api-key counts too', () => {
    expect(new SecretRedactor().redactText('/hook?x-api-key=xk-UNLISTED-77&page=2')).toBe(
      `/hook?x-api-key=${REDACTED}&page=2`,
    );
  });

  it('leaves keys that only end in a secret name alone', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redactText('?sort_key=id&page_token_count=3&monkey=1')).toBe(
      '?sort_key=id&page_token_count=3&monkey=1',
    );
  });

  it('in an error Omnitron answered with such a URL, as util.inspect renders it', async () => {
    const server = await tinyServer((req, res) =>
      req.url === '/api/v1/auth/login/'
        ? json(res, 200, { key: 'tok-redact-by-key-1234' })
        : json(res, 400, { detail: [`upstream https://erp.example.com/hook?${QUERY} refused`] }),
    );
    const error = await probe(server.url)
      .getChannel()
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OmnitronValidationError);
    const rendered = inspect(error, { depth: Number.POSITIVE_INFINITY });
    expect(rendered).toContain('erp.example.com/hook?');
    for (const value of Object.values(UNLISTED)) expect(rendered).not.toContain(value);
  });
});
