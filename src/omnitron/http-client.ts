import ky, { type KyInstance } from 'ky';
import { z } from 'zod';
import { OmnitronAuthError } from '../errors/omnitron-auth-error.js';
import { OmnitronResponseError } from '../errors/omnitron-response-error.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { toOmnitronError } from './http-errors.js';
import type { TokenStore } from './token-store.js';
import { PageEnvelope } from './wire/common.js';

/** How requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  limit: number;
  /** The longest wait between two attempts, in ms, before jitter (default 10 000). */
  backoffLimit: number;
  /** The first wait, in ms; each next one doubles (default 300). */
  baseDelay: number;
}

/** What {@link OmnitronHttpClient} needs. */
export interface OmnitronHttpClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Per attempt, in ms. */
  timeout: number;
  retry: RetryPolicy;
  tokenStore: TokenStore;
  logger: Logger;
  redactor: SecretRedactor;
  fetch?: typeof globalThis.fetch;
}

/** Query parameters; an array becomes repeated keys. */
export type Query = Record<string, string | number | readonly (string | number)[] | undefined>;

/** One request. */
export interface RequestSpec<S extends z.ZodType> {
  /** Query parameters. */
  query?: Query;
  /** The JSON body. */
  json?: unknown;
  /** What the answer must look like. */
  schema: S;
}

/**
 * Omnitron's REST transport: `POST auth/login/` once for a token (kept in the token store and sent as
 * `Authorization: Token …`), one fresh login when a token is refused, timeouts, and retries with
 * exponential backoff and jitter for GET and PATCH on 408, 429 (honouring `Retry-After`), 5xx, timeouts
 * and network errors. POSTs are never retried here: a create is retried only behind a look-up
 * (`createBehindLookup`). Every failure becomes a typed `OmnitronError`; every answer is validated.
 */
export class OmnitronHttpClient {
  readonly #ky: KyInstance;
  readonly #options: OmnitronHttpClientOptions;
  readonly #tokenKey: string;
  #token: string | undefined;
  #login: Promise<string> | undefined;

  constructor(options: OmnitronHttpClientOptions) {
    this.#options = options;
    // One key per Omnitron and user, so apps sharing a Redis never use each other's tokens.
    this.#tokenKey = `channel-app-sdk:omnitron-token:${options.baseUrl}:${options.username}`;
    const { retry } = options;
    this.#ky = ky.create({
      prefixUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1/`,
      timeout: options.timeout,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retry: {
        limit: retry.limit,
        methods: ['get', 'patch'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        retryOnTimeout: true,
        jitter: true,
        backoffLimit: retry.backoffLimit,
        delay: (attempt) => retry.baseDelay * 2 ** (attempt - 1),
      },
      hooks: {
        beforeRetry: [
          ({ request, retryCount, error }) => {
            options.logger.debug(
              {
                method: request.method,
                url: new URL(request.url).pathname,
                retryCount,
                reason: options.redactor.redactText(error.message),
              },
              'retrying Omnitron request',
            );
          },
        ],
      },
    });
  }

  /** Sends one request and returns its validated answer. */
  async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    spec: RequestSpec<S>,
  ): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt += 1) {
      const text = await this.#send(method, path, spec);
      try {
        return this.#parse(method, path, text, spec.schema);
      } catch (error) {
        // A garbled body (cut off, an HTML error page) is a passing fault: ask again when that is safe.
        const garbled = error instanceof OmnitronResponseError && error.issues.length === 0;
        if (!garbled || method === 'POST' || attempt >= this.#options.retry.limit) throw error;
        this.#options.logger.debug(
          { method, path, attempt: attempt + 1 },
          'retrying after an answer that is not JSON',
        );
      }
    }
  }

  /**
   * Every item of a paged list, page by page (`?page=N&limit=M`), with the same auth, retries and checks
   * on every page. Stops when Omnitron says there is no next page.
   */
  async *paginate<S extends z.ZodType>(
    path: string,
    query: Query,
    schema: S,
    pageSize = 100,
  ): AsyncGenerator<z.infer<S>> {
    for (let page = 1; ; page += 1) {
      const envelope = await this.request('GET', path, {
        query: { ...query, page, limit: pageSize },
        schema: PageEnvelope,
      });
      for (const [index, raw] of envelope.results.entries()) {
        const item = schema.safeParse(raw);
        if (!item.success) throw this.#shapeError('GET', path, item.error, `results.${index}.`);
        yield item.data;
      }
      // A page that is empty, or that ends the count, is the last even if `next` says otherwise: a server
      // that always sends `next` must not page forever.
      if (!envelope.next || envelope.results.length === 0 || page * pageSize >= envelope.count) return;
    }
  }

  async #send(
    method: string,
    path: string,
    spec: { query?: Query; json?: unknown },
    isRetryAfterLogin = false,
  ): Promise<string> {
    const token = await this.#currentToken();
    const started = Date.now();
    try {
      const response = await this.#ky(path, {
        method,
        headers: { Authorization: `Token ${token}` },
        ...(spec.query ? { searchParams: toSearchParams(spec.query) } : {}),
        ...(spec.json !== undefined ? { json: spec.json } : {}),
      });
      this.#options.logger.debug(
        { method, path, status: response.status, ms: Date.now() - started },
        'Omnitron request',
      );
      return await response.text();
    } catch (thrown) {
      const error = await toOmnitronError(thrown, { method, path, json: spec.json }, this.#options.redactor);
      this.#options.logger.debug(
        { method, path, status: error.http?.status, code: error.code, ms: Date.now() - started },
        'Omnitron request failed',
      );
      // A refused token (expired, revoked) gets one fresh login and one more try.
      if (error instanceof OmnitronAuthError && error.http?.status === 401 && !isRetryAfterLogin) {
        await this.#refreshToken(token);
        return this.#send(method, path, spec, true);
      }
      throw error;
    }
  }

  #parse<S extends z.ZodType>(method: string, path: string, text: string, schema: S): z.infer<S> {
    let body: unknown;
    try {
      body = text.length === 0 ? null : JSON.parse(text);
    } catch (cause) {
      throw new OmnitronResponseError(`Omnitron answered ${method} ${path} with a body that is not JSON`, {
        cause,
        http: { method, path },
        responseBody: this.#options.redactor.redactText(text.slice(0, 500)),
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.#shapeError(method, path, parsed.error);
    return parsed.data;
  }

  #shapeError(method: string, path: string, error: z.ZodError, prefix = ''): OmnitronResponseError {
    const issues = error.issues.map((i) => ({
      path: prefix + i.path.map(String).join('.'),
      message: i.message,
    }));
    const listed = issues
      .slice(0, 5)
      .map((i) => `${i.path || '(body)'}: ${i.message}`)
      .join('; ');
    return new OmnitronResponseError(`Unexpected answer from Omnitron to ${method} ${path}: ${listed}`, {
      cause: error,
      http: { method, path },
      issues,
    });
  }

  async #currentToken(): Promise<string> {
    if (this.#token) return this.#token;
    const stored = await this.#options.tokenStore.get(this.#tokenKey);
    if (stored) {
      this.#options.redactor.add(stored);
      this.#token = stored;
      return stored;
    }
    return this.#loginOnce();
  }

  async #refreshToken(refused: string): Promise<void> {
    // Another request may have logged in already while this one waited.
    if (this.#token && this.#token !== refused) return;
    this.#token = undefined;
    await this.#options.tokenStore.delete(this.#tokenKey);
    await this.#loginOnce();
  }

  /** Logs in; concurrent callers share one login. */
  #loginOnce(): Promise<string> {
    this.#login ??= this.#logIn().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async #logIn(): Promise<string> {
    const { username, password, redactor, logger } = this.#options;
    const path = 'auth/login/';
    let text: string;
    try {
      // Logging in twice is harmless, so a login is retried like a GET.
      const response = await this.#ky.post(path, {
        json: { username, password },
        retry: { methods: ['post'] },
      });
      text = await response.text();
    } catch (thrown) {
      const error = await toOmnitronError(
        thrown,
        { method: 'POST', path, json: { username, password } },
        redactor,
      );
      const status = error.http?.status;
      if (status === 400 || status === 401 || status === 403) {
        throw new OmnitronAuthError(`Omnitron refused the login of user "${username}" (HTTP ${status})`, {
          cause: error,
          http: error.http,
          responseBody: error.responseBody,
        });
      }
      throw error;
    }
    const { key } = this.#parse('POST', path, text, LoginAnswer);
    redactor.add(key);
    this.#token = key;
    await this.#options.tokenStore.set(this.#tokenKey, key);
    logger.info({ user: username }, 'logged in to Omnitron');
    return key;
  }
}

/** Omnitron's answer to a login. */
const LoginAnswer = z.object({ key: z.string().min(1) });

function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  return params;
}
