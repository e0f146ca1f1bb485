import ky, { HTTPError, type KyInstance } from 'ky';
import type { z } from 'zod';
import { OmnitronError } from '../errors/omnitron-error.js';
import type { Logger } from '../reporting/logger.js';
import type { SecretRedactor } from '../reporting/redact.js';
import { AnswerReader, isGarbled } from './answer-reader.js';
import { Deadline, defaultDeadline } from './deadline.js';
import { retryAfterMs } from './retry-after.js';
import { refusesToken, TokenSession } from './token-session.js';
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

/**
 * Omnitron's REST transport: `POST auth/login/` once for a token (kept in the token store and sent as
 * `Authorization: Token …`), one fresh login when a token is refused, timeouts, and retries with
 * exponential backoff and jitter for GET and PATCH on 408, 429 (honouring `Retry-After` up to a cap), 5xx,
 * timeouts and network errors. POSTs are never retried here: a create is retried only behind a look-up
 * (`createBehindLookup`). Every request has an overall deadline and a cap on the size of its answer. Every
 * failure becomes a typed `OmnitronError` holding no secret; every answer is validated. An answer with a
 * 2xx status that cannot be used gives an error with `delivered: true`: the request was carried out.
 *
 * It composes the ky instance and its retry options (here) with the token session (`TokenSession`) and
 * the reading and validating of answers (`AnswerReader`).
 */
export class OmnitronHttpClient {
  readonly #ky: KyInstance;
  readonly #options: OmnitronHttpClientOptions;
  readonly #deadlineMs: number;
  readonly #reader: AnswerReader;
  readonly #session: TokenSession;

  constructor(options: OmnitronHttpClientOptions) {
    this.#options = options;
    const { retry } = options;
    this.#deadlineMs = options.deadline ?? defaultDeadline(options.timeout, retry);
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
        maxRetryAfter: options.maxRetryAfter,
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
    const { timeout, maxResponseBytes, redactor, logger } = options;
    this.#reader = new AnswerReader({ timeout, maxResponseBytes, redactor });
    this.#session = new TokenSession({
      baseUrl: options.baseUrl,
      username: options.username,
      password: options.password,
      timeout,
      deadline: this.#deadlineMs,
      tokenStore: options.tokenStore,
      logger,
      redactor,
      reader: this.#reader,
      post: (path, json, deadline) => {
        // Logging in twice is harmless, so a login is retried like a GET.
        const perRequest = this.#perRequest(deadline);
        return this.#ky.post(path, {
          json,
          ...perRequest,
          retry: { ...perRequest.retry, methods: ['post'] },
        });
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
          return this.#reader.parse({ method, path, status }, text, spec.schema);
        } catch (error) {
          // A garbled body (cut off, an HTML error page) is a passing fault: ask again when that is safe.
          if (!isGarbled(error) || method === 'POST' || attempt >= this.#options.retry.limit) throw error;
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
          throw this.#reader.shapeError(
            { method: 'GET', path, status: 200 },
            item.error,
            `results.${index}.`,
          );
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
      token = await deadline.race(this.#session.current());
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
      return { text: await this.#reader.read({ method, path, status }, response, deadline), status };
    } catch (thrown) {
      // Errors of the login, and of reading an answer, are typed already.
      if (thrown instanceof OmnitronError) throw thrown;
      const http = { method, path, ...(status === undefined ? {} : { status }) };
      const error = await this.#reader.failure(thrown, http, spec.json, deadline);
      this.#options.logger.debug(
        { method, path, status: error.http?.status, code: error.code, ms: Date.now() - started },
        'Omnitron request failed',
      );
      // A refused token (expired, revoked) gets one fresh login and one more try.
      if (token !== undefined && refusesToken(error) && !isRetryAfterLogin) {
        try {
          await deadline.race(this.#session.renew(token));
        } catch (loginError) {
          // The login's errors are typed; a deadline passed while waiting for it is made one here.
          if (loginError instanceof OmnitronError) throw loginError;
          throw this.#reader.deadlineError({ method, path }, spec.json, deadline);
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
          return wait > this.#options.maxRetryAfter || wait >= deadline.remaining() ? false : undefined;
        },
      },
    };
  }
}

/** Query parameters as URL search parameters: an array becomes repeated keys, `undefined` is left out. */
function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  return params;
}
