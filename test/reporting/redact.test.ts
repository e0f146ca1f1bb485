import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from '../../src/index.js';

describe('SecretRedactor', () => {
  it('removes known secret values wherever they appear', () => {
    const redactor = new SecretRedactor(['s3cret-pass', undefined]);
    redactor.add('tok-abcdef');
    expect(redactor.redactText('login s3cret-pass then tok-abcdef!')).toBe(
      `login ${REDACTED} then ${REDACTED}!`,
    );
  });

  it('removes Authorization values and secret JSON fields it was never told about', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redactText('Authorization: Token 9f8e7d6c5b4a')).toBe(`Authorization: Token ${REDACTED}`);
    expect(redactor.redactText('{"username": "u", "password": "p\\"w"}')).toBe(
      `{"username": "u", "password": "${REDACTED}"}`,
    );
    expect(redactor.redactText('{"key":"abc123"}')).toBe(`{"key":"${REDACTED}"}`);
  });

  it('redacts secret-named keys in objects, at any depth, without changing the original', () => {
    const redactor = new SecretRedactor(['hunter22']);
    const value = { user: 'u', password: 'x', nested: [{ api_key: 'k', note: 'pw is hunter22' }] };
    expect(redactor.redactValue(value)).toEqual({
      user: 'u',
      password: REDACTED,
      nested: [{ api_key: REDACTED, note: `pw is ${REDACTED}` }],
    });
    expect(value.password).toBe('x');
  });

  it('ignores secrets too short to redact safely', () => {
    const redactor = new SecretRedactor(['ab']);
    expect(redactor.redactText('abc')).toBe('abc');
  });
});
