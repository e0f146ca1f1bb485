import ky, { HTTPError, type KyInstance } from 'ky';
import { z } from 'zod';
import type { HttpDetails } from '../errors/channel-app-error.js';
import { OmnitronAuthError } from '../errors/omnitron-auth-error.js';
import { OmnitronError } from '../errors/omnitron-error.js';
import { OmnitronNetworkError } from '../errors/omnitron-network-error.js';
import { OmnitronResponseError } from '../errors/omnitron-response-error.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { snapshotCause } from './cause-snapshot.js';
import { Deadline, defaultDeadline } from './deadline.js';
import { cut, type ErrorContext, toOmnitronError } from './http-errors.js';
import { readBodyCapped } from './read-body.js';
import { retryAfterMs } from './retry-after.js';
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
  /** Per attempt, in ms: the wait for the headers of an answer. */
  timeout: number;
  /** The most one request may take in all, in ms (default: see `defaultDeadline`). */
  deadline?: number | undefined;
  /** The largest answer read, in bytes. */
  maxResponseBytes: number;
  /** The longest `Retry-After` honoured, in ms. */
  maxRetryAfter: number;
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

/** Statuses retried for GET and PATCH, and those whose `Retry-After` is honoured. */
const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504];
const AFTER_STATUSES = [429, 503];
/** Error bodies are only read for their message and field errors: this much is plenty. */
const ERROR_BODY_BYTES = 1024 * 1024;

/** Errors of answers that were not JSON at all: a passing fault, asked again when that is safe. */
const garbled = new WeakSet<OmnitronError>();

/**
 * Omnitron's REST transport: `POST auth/login/` once for a token (kept in the token store and sent as
 * `Authorization: Token …`), one fresh login when a token is refused, timeouts, and retries with
 * exponential backoff and jitter for GET and PATCH on 408, 429 (honouring `Retry-After` up to a cap), 5xx,
 * timeouts and network errors. POSTs are never retried here: a create is retried only behind a look-up
 * (`createBehindLookup`). Every request has an overall deadline and a cap on the size of its answer. Every
 * failure becomes a typed `OmnitronError` holding no secret; every answer is validated. An answer with a
 * 2xx status that cannot be used gives an error with `delivered: true`: the request was carried out.
 */
export class OmnitronHttpClient {
  readonly #ky: KyInstance;
  readonly #options: OmnitronHttpClientOptions;
  readonly #tokenKey: string;
  readonly #deadlineMs: number;
  readonly #maxResponseBytes: number;
  readonly #maxRetryAfter: number;
  #token: string | undefined;
  #login: Promise<string> | undefined;

  constructor(options: OmnitronHttpClientOptions) {
    this.#options = options;
    // One key per Omnitron and user, so apps sharing a Redis never use each other's tokens.
    this.#tokenKey = `channel-app-sdk:omnitron-token:${options.baseUrl}:${options.username}`;
    const { retry } = options;
    this.#deadlineMs = options.deadline ?? defaultDeadline(options.timeout, retry);
    this.#maxResponseBytes = options.maxResponseBytes;
    this.#maxRetryAfter = options.maxRetryAfter;
    this.#ky = ky.create({
      prefixUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1/`,
      timeout: options.timeout,
      // Never follow a redirect: fetch would re-send a login, password and all, to wherever it points.
      redirect: 'manual',
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retry: {
        limit: retry.limit,
        methods: ['get', 'patch'],
        statusCodes: RETRIED_STATUSES,
        afterStatusCodes: AFTER_STATUSES,
        // ky waits min(Retry-After, maxRetryAfter); a longer ask never gets here (see #perRequest).
        maxRetryAfter: this.#maxRetryAfter,
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

  /**
   * Sends one request and returns its validated answer. Everything it does (a login, retries, waits, a
   * fresh login after a refused token, asking again after a garbled answer) ends within the deadline.
   */
  async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    spec: RequestSpec<S>,
  ): Promise<z.infer<S>> {
    const deadline = new Deadline(this.#deadlineMs);
    try {
      for (let attempt = 0; ; attempt += 1) {
        const { text, status } = await this.#send(method, path, spec, deadline);
        try {
          return this.#parse({ method, path, status }, text, spec.schema);
        } catch (error) {
          // A garbled body (cut off, an HTML error page) is a passing fault: ask again when that is safe.
          const retry = error instanceof OmnitronError && garbled.has(error);
          if (!retry || method === 'POST' || attempt >= this.#options.retry.limit) throw error;
          this.#options.logger.debug(
            { method, path, attempt: attempt + 1 },
            'retrying after an answer that is not JSON',
          );
        }
      }
    } finally {
      deadline.dispose();
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
        if (!item.success)
          throw this.#shapeError({ method: 'GET', path, status: 200 }, item.error, `results.${index}.`);
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
    deadline: Deadline,
    isRetryAfterLogin = false,
  ): Promise<{ text: string; status: number }> {
    const started = Date.now();
    let token: string | undefined;
    let status: number | undefined;
    try {
      token = await deadline.race(this.#currentToken());
      const response = await deadline.race(
        this.#ky(path, {
          method,
          headers: { Authorization: `Token ${token}` },
          ...(spec.query ? { searchParams: toSearchParams(spec.query) } : {}),
          ...(spec.json !== undefined ? { json: spec.json } : {}),
          ...this.#perRequest(deadline),
        }),
      );
      status = response.status;
      this.#options.logger.debug(
        { method, path, status: response.status, ms: Date.now() - started },
        'Omnitron request',
      );
      return { text: await this.#readAnswer({ method, path, status }, response, deadline), status };
    } catch (thrown) {
      // Errors of the login, and of reading an answer, are typed already.
      if (thrown instanceof OmnitronError) throw thrown;
      const error = deadline.expired
        ? this.#deadlineError(
            { method, path, ...(status === undefined ? {} : { status }) },
            spec.json,
            deadline,
          )
        : await toOmnitronError(thrown, { method, path, json: spec.json }, this.#errorContext(deadline));
      this.#options.logger.debug(
        { method, path, status: error.http?.status, code: error.code, ms: Date.now() - started },
        'Omnitron request failed',
      );
      // A refused token (expired, revoked) gets one fresh login and one more try.
      if (
        token !== undefined &&
        error instanceof OmnitronAuthError &&
        error.http?.status === 401 &&
        !isRetryAfterLogin
      ) {
        try {
          await deadline.race(this.#refreshToken(token));
        } catch (loginError) {
          // The login's errors are typed; a deadline passed while waiting for it is made one here.
          if (loginError instanceof OmnitronError) throw loginError;
          throw this.#deadlineError({ method, path }, spec.json, deadline);
        }
        return this.#send(method, path, spec, deadline, true);
      }
      throw error;
    }
  }

  /** Per-request ky options: the deadline's signal, and no wait for a `Retry-After` that cannot be honoured. */
  #perRequest(deadline: Deadline) {
    return {
      signal: deadline.signal,
      retry: {
        shouldRetry: ({ error }: { error: Error }) => {
          if (!(error instanceof HTTPError) || !AFTER_STATUSES.includes(error.response.status))
            return undefined;
          const wait = retryAfterMs(error.response.headers);
          if (wait === undefined) return undefined;
          // Waiting past the cap or the deadline helps nobody: fail now with Omnitron's own answer.
          return wait > this.#maxRetryAfter || wait >= deadline.remaining() ? false : undefined;
        },
      },
    };
  }

  #errorContext(deadline: Deadline): ErrorContext {
    return {
      redactor: this.#options.redactor,
      readBody: async (response) => {
        // An error body that stalls is given up after the attempt's timeout; the error stands without it.
        const attempt = new Deadline(this.#options.timeout);
        try {
          const cap = Math.min(ERROR_BODY_BYTES, this.#maxResponseBytes);
          return (await deadline.race(readBodyCapped(response, cap, attempt.signal))).text;
        } finally {
          attempt.dispose();
        }
      },
    };
  }

  /**
   * Reads a 2xx answer within the size cap, the attempt's `timeout` (ky's own covers only the wait for the
   * headers) and the deadline. The request was carried out, so every failure here says `delivered: true`.
   */
  async #readAnswer(http: Required<HttpDetails>, response: Response, deadline: Deadline): Promise<string> {
    let body: Awaited<ReturnType<typeof readBodyCapped>>;
    const attempt = new Deadline(this.#options.timeout);
    try {
      body = await deadline.race(readBodyCapped(response, this.#maxResponseBytes, attempt.signal));
    } catch (thrown) {
      if (deadline.expired) throw this.#deadlineError(http, undefined, deadline, true);
      const where = `${http.method} ${http.path}`;
      if (attempt.expired) {
        throw new OmnitronNetworkError(
          `Omnitron's answer to ${where} (HTTP ${http.status}) did not arrive in full within the timeout of ${this.#options.timeout} ms`,
          {
            cause: snapshotCause(thrown, http, this.#options.redactor, 'the body stalled'),
            http,
            timedOut: true,
            delivered: true,
          },
        );
      }
      throw new OmnitronNetworkError(
        `Omnitron's answer to ${where} (HTTP ${http.status}) broke off before its end`,
        { cause: snapshotCause(thrown, http, this.#options.redactor), http, delivered: true },
      );
    } finally {
      attempt.dispose();
    }
    if (body.complete) return body.text;
    throw new OmnitronResponseError(
      `Omnitron answered ${http.method} ${http.path} (HTTP ${http.status}) with more than maxResponseBytes (${this.#maxResponseBytes} bytes); reading stopped there`,
      { http, delivered: true },
    );
  }

  #deadlineError(
    http: HttpDetails,
    json: unknown,
    deadline: Deadline,
    delivered = http.status !== undefined && http.status < 300,
  ): OmnitronNetworkError {
    const { redactor } = this.#options;
    const answered =
      http.status === undefined ? '' : ` (its answer, HTTP ${http.status}, was still arriving)`;
    return new OmnitronNetworkError(
      `Omnitron did not finish ${http.method} ${http.path} within the deadline of ${deadline.ms} ms${answered}`,
      {
        cause: snapshotCause(deadline.signal.reason, http, redactor, `deadline of ${deadline.ms} ms passed`),
        http,
        ...(json === undefined ? {} : { requestBody: cut(JSON.stringify(redactor.redactValue(json))) }),
        timedOut: true,
        delivered,
      },
    );
  }

  #parse<S extends z.ZodType>(
    http: Required<HttpDetails>,
    text: string,
    schema: S,
    keepBody = true,
  ): z.infer<S> {
    let body: unknown;
    try {
      body = text.length === 0 ? null : JSON.parse(text);
    } catch (thrown) {
      const { redactor } = this.#options;
      const error = new OmnitronResponseError(
        `Omnitron answered ${http.method} ${http.path} with a body that is not JSON`,
        {
          // JSON.parse's message quotes the body: only its class is kept.
          cause: snapshotCause(thrown, http, redactor, 'the body is not JSON'),
          http,
          delivered: true,
          ...(keepBody ? { responseBody: redactor.redactText(text.slice(0, 500)) } : {}),
        },
      );
      garbled.add(error);
      throw error;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.#shapeError(http, parsed.error);
    return parsed.data;
  }

  #shapeError(http: Required<HttpDetails>, error: z.ZodError, prefix = ''): OmnitronResponseError {
    const issues = error.issues.map((i) => ({
      path: prefix + i.path.map(String).join('.'),
      message: i.message,
    }));
    const listed = issues
      .slice(0, 5)
      .map((i) => `${i.path || '(body)'}: ${i.message}`)
      .join('; ');
    const message = `Unexpected answer from Omnitron to ${http.method} ${http.path}: ${listed}`;
    return new OmnitronResponseError(message, {
      cause: snapshotCause(error, http, this.#options.redactor, listed),
      http,
      issues,
      delivered: true,
    });
  }

  async #currentToken(): Promise<string> {
    if (this.#token) return this.#token;
    const stored = await this.#tokenStore('get', () => this.#options.tokenStore.get(this.#tokenKey));
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
    await this.#tokenStore('delete', () => this.#options.tokenStore.delete(this.#tokenKey));
    await this.#loginOnce();
  }

  /**
   * Runs a token-store call, best effort: the store only saves logins, so a store that fails or hangs (a
   * Redis outage) costs a fresh login, never the request. A hung call is given up after the attempt timeout.
   */
  async #tokenStore<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    const wait = new Deadline(this.#options.timeout);
    try {
      return await wait.race(call());
    } catch (error) {
      this.#options.logger.warn(
        {
          operation,
          error: this.#options.redactor.redactText(error instanceof Error ? error.message : String(error)),
        },
        'the token store failed; going on without it',
      );
      return undefined;
    } finally {
      wait.dispose();
    }
  }

  /**
   * Logs in; concurrent callers share one login. The login has a deadline of its own (each caller also
   * stops waiting at its own deadline), so one caller running out of time does not fail the others.
   */
  #loginOnce(): Promise<string> {
    this.#login ??= this.#logIn().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async #logIn(): Promise<string> {
    const deadline = new Deadline(this.#deadlineMs);
    try {
      return await this.#logInWithin(deadline);
    } finally {
      deadline.dispose();
    }
  }

  async #logInWithin(deadline: Deadline): Promise<string> {
    const { username, password, redactor, logger } = this.#options;
    const path = 'auth/login/';
    let text: string;
    let status = 200;
    try {
      // Logging in twice is harmless, so a login is retried like a GET.
      const perRequest = this.#perRequest(deadline);
      const response = await deadline.race(
        this.#ky.post(path, {
          json: { username, password },
          ...perRequest,
          retry: { ...perRequest.retry, methods: ['post'] },
        }),
      );
      status = response.status;
      text = await this.#readAnswer({ method: 'POST', path, status }, response, deadline);
    } catch (thrown) {
      const error =
        thrown instanceof OmnitronError
          ? thrown
          : deadline.expired
            ? this.#deadlineError({ method: 'POST', path }, { username, password }, deadline)
            : await toOmnitronError(
                thrown,
                { method: 'POST', path, json: { username, password } },
                this.#errorContext(deadline),
              );
      const refused = error.http?.status;
      if (refused === 400 || refused === 401 || refused === 403) {
        throw new OmnitronAuthError(`Omnitron refused the login of user "${username}" (HTTP ${refused})`, {
          cause: error,
          http: error.http,
          ...(error.requestBody === undefined ? {} : { requestBody: error.requestBody }),
          ...(error.responseBody === undefined ? {} : { responseBody: error.responseBody }),
        });
      }
      throw error;
    }
    // The answer of a login is the token itself: a body that cannot be used is never kept in the error.
    const { key } = this.#parse({ method: 'POST', path, status }, text, LoginAnswer, false);
    redactor.add(key);
    this.#token = key;
    await this.#tokenStore('set', () => this.#options.tokenStore.set(this.#tokenKey, key));
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
