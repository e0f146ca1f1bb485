/**
 * Replaces a secret wherever it appears.
 *
 * @group Logging
 */
export const REDACTED = '[REDACTED]';

/** JSON keys whose values are always secret, whatever they hold. */
const SECRET_KEY =
  /^(password|passwd|secret|client_secret|token|access_token|refresh_token|api[-_]?key|apikey|authorization|key|cookie|set-cookie)$/i;

/** `Authorization: Token abc`, `Bearer abc`, `"password": "abc"` and the like inside free text. */
const SECRET_IN_TEXT = [
  /\b(Token|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g,
  /("(?:password|passwd|secret|client_secret|token|access_token|refresh_token|api[-_]?key|apikey|authorization|key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
];

/**
 * `key=value` with a secret-named key, in a URL's query string, a form body or a message
 * (`?api_key=abc`, `token=…`, `password=…`, `x-api-key=…`): the value goes whatever it is, known or not.
 * The key must not be the end of a longer name (`sort_key=` is no secret); the value ends at `&`, `#`, a
 * quote, a comma, a semicolon or white space.
 */
const SECRET_PARAM =
  /(?<![A-Za-z0-9_.])((?:password|passwd|secret|client_secret|token|access_token|refresh_token|api[-_]?key|apikey|authorization|key)=)[^&#\s"',;]+/gi;

/** The `user:password@` of a URL such as `https://user:pass@host/`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Nesting deeper than this is not walked: it is redacted as text instead. */
const MAX_DEPTH = 8;

/**
 * Removes secrets from anything bound for a log line, an error message or an error report. It knows the
 * secret values it was given (passwords, tokens, API keys) and also redacts secret-looking keys,
 * `key=value` pairs with a secret-looking key (in URLs and messages) and `Authorization` values it has
 * never seen.
 *
 * @group Logging
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();
  /** Every known secret in every form it may be echoed in; rebuilt when a secret is added. */
  #pattern: RegExp | undefined;
  /** The same forms, for cutting a secret that a truncated text ends in. */
  #forms: string[] = [];

  /** Starts with the given secret values. */
  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Remembers a secret value, such as a token obtained at login. Values shorter than 4 characters are ignored. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4 || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#forms = [...new Set([...this.#secrets].flatMap(echoedForms))].sort((a, b) => b.length - a.length);
    this.#pattern = new RegExp(this.#forms.map(escapeRegExp).join('|'), 'gi');
  }

  /**
   * Redacts secrets in a piece of text: each known secret as it is, in any letter case, and as a server
   * may echo it (JSON-escaped, with non-ASCII letters as `\uXXXX`, URL-encoded); a text cut off in the
   * middle of one loses the start of it too.
   */
  redactText(text: string): string {
    let out = this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
    out = cutTrailingSecret(out, this.#forms);
    out = out.replace(SECRET_IN_TEXT[0] as RegExp, `$1 ${REDACTED}`);
    out = out.replace(SECRET_IN_TEXT[1] as RegExp, `$1"${REDACTED}"`);
    out = out.replace(SECRET_PARAM, `$1${REDACTED}`);
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
      // A key can hold a secret too (a server's field errors keyed by what it was sent).
      out[this.redactText(k)] = SECRET_KEY.test(k) ? REDACTED : this.redactValue(v, depth + 1);
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

/** The forms a secret may be echoed in by a server or a library. */
function echoedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  // Python's json (ensure_ascii) and others write every non-ASCII letter as \uXXXX.
  const ascii = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [secret, json, ascii, encodeURIComponent(secret)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A text cut off inside a secret (a body read up to a size cap) loses the secret's start it ends with. */
function cutTrailingSecret(text: string, forms: readonly string[]): string {
  const tail = text.slice(-64).toLowerCase();
  for (const form of forms) {
    const lower = form.toLowerCase();
    for (let length = Math.min(lower.length - 1, tail.length); length >= 4; length -= 1) {
      if (tail.endsWith(lower.slice(0, length))) return `${text.slice(0, text.length - length)}${REDACTED}`;
    }
  }
  return text;
}
