import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from '../../src/foundation/redact.js';

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

describe('SecretRedactor and echoed secrets', () => {
  it('redacts a secret in any letter case', () => {
    const redactor = new SecretRedactor(['Pa55-word-XYZ']);
    expect(redactor.redactText('you sent PA55-WORD-XYZ')).toBe(`you sent ${REDACTED}`);
  });

  it('redacts a secret echoed JSON-escaped, with \\uXXXX escapes (Python json) or URL-encoded', () => {
    const redactor = new SecretRedactor(['Şifre-gizli-123', 'pa"ss\\word-XYZ', 'a b&c=d/e']);
    const echoed = [
      JSON.stringify({ got: 'Şifre-gizli-123' }),
      '{"got": "\\u015eifre-gizli-123"}',
      JSON.stringify({ got: 'pa"ss\\word-XYZ' }),
      `password=${encodeURIComponent('a b&c=d/e')}`,
    ];
    for (const text of echoed) {
      const out = redactor.redactText(text);
      expect(out, text).toContain(REDACTED);
      expect(out).not.toMatch(/ifre-gizli|ss\\\\word|b%26c/);
    }
  });

  it('redacts the start of a secret that a cut-off text ends with', () => {
    const redactor = new SecretRedactor(['Pa55-word-XYZ']);
    expect(redactor.redactText('{"echo": "xxPa55-w')).toBe(`{"echo": "xx${REDACTED}`);
    // Four characters that merely end the text are not a secret's start unless they match one.
    expect(redactor.redactText('plain words')).toBe('plain words');
  });

  it('redacts secrets held in object keys', () => {
    const redactor = new SecretRedactor(['tok-abcdef']);
    expect(redactor.redactValue({ 'tok-abcdef': ['is not a field'] })).toEqual({
      [REDACTED]: ['is not a field'],
    });
  });
});
