/** Replaces a secret wherever it appears. */
export const REDACTED = '[REDACTED]';

/** JSON keys whose values are always secret, whatever they hold. */
const SECRET_KEY =
  /^(password|passwd|secret|client_secret|token|access_token|refresh_token|api[-_]?key|apikey|authorization|key|cookie|set-cookie)$/i;

/** `Authorization: Token abc`, `Bearer abc`, `"password": "abc"` and the like inside free text. */
const SECRET_IN_TEXT = [
  /\b(Token|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g,
  /("(?:password|passwd|secret|client_secret|token|access_token|refresh_token|api[-_]?key|apikey|authorization|key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
];

/** The `user:password@` of a URL such as `https://user:pass@host/`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Nesting deeper than this is not walked: it is redacted as text instead. */
const MAX_DEPTH = 8;

/**
 * Removes secrets from anything bound for a log line, an error message or an error report. It knows the
 * secret values it was given (passwords, tokens, API keys) and also redacts secret-looking keys and
 * `Authorization` values it has never seen.
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  /** Starts with the given secret values. */
  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Remembers a secret value, such as a token obtained at login. Values shorter than 4 characters are ignored. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  /** Redacts secrets in a piece of text. */
  redactText(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    out = out.replace(SECRET_IN_TEXT[0] as RegExp, `$1 ${REDACTED}`);
    out = out.replace(SECRET_IN_TEXT[1] as RegExp, `$1"${REDACTED}"`);
    out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    return out;
  }

  /** Redacts secrets in a value of any shape, returning a copy; keys named like secrets lose their values. */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    // A deeper value is not returned as it is (it may hold a secret): it becomes redacted text.
    if (depth > MAX_DEPTH) return this.#redactDeep(value);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) ? REDACTED : this.redactValue(v, depth + 1);
    }
    return out;
  }

  #redactDeep(value: object): string {
    try {
      return this.redactText(JSON.stringify(value) ?? '');
    } catch {
      // Cyclic, a BigInt, a throwing toJSON: nothing of it is kept.
      return '[unserializable]';
    }
  }
}
