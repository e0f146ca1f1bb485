import ky, { HTTPError, type Options as KyOptions } from 'ky';
import type { z } from 'zod';
import { OmnitronError, OmnitronResponseError } from '../errors/omnitron-errors.js';
import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { errorType } from '../telemetry/error-type.js';
import type { HttpAttempts } from '../telemetry/http-attempts.js';
import {
  inRequestSpan,
  type RequestServer,
  type RequestTelemetry,
  requestAttempts,
  requestServer,
} from '../telemetry/telemetry.js';
import { AnswerReader, readAnswer } from './answer-reader.js';
import { Deadline, defaultDeadline } from './deadline.js';
import { nodeFetch } from './node-fetch.js';
import { discardBody } from './read-body.js';
import { retryAfterHeader, retryAfterMs } from './retry-after.js';
import { type AttemptContext, sendAttempt } from './send-attempt.js';
import type { ServerClock } from './server-clock.js';
import { TokenSession } from './token-session.js';
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
  /** The most pages one list may have (default {@link DEFAULT_MAX_PAGES}); a longer one is an error. */
  maxPages?: number | undefined;
  /** Told the `Date` of every answer, so Omnitron's time can be known (see {@link ServerClock}). */
  clock?: ServerClock | undefined;
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

/** Node's own `fetch`, as the process started with it (before any test could replace it). */
const NODE_FETCH = globalThis.fetch;

/**
 * ky's options with `retry` as an object (so a call's can be laid over the shared one), and the call's
 * deadline and `fetch` for {@link sendAttempt}.
 */
type KyCall = Omit<KyOptions, 'retry' | 'context'> & {
  retry: Exclude<NonNullable<KyOptions['retry']>, number>;
  context?: AttemptContext;
};

/** The header of a request with a JSON body. */
const JSON_BODY = { 'content-type': 'application/json' } as const;

/** The most pages one list may have unless `maxPages` says otherwise. */
export const DEFAULT_MAX_PAGES = 1000;

/** `error.type` of an attempt whose answer was not JSON (asked for again): the SDK's code for it. */
const GARBLED = 'OMNITRON_RESPONSE';

/** Statuses retried for GET and PATCH, and those whose `Retry-After` is honoured. */
const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504];
const AFTER_STATUSES = [429, 503];

/**
 * Omnitron's REST transport: `POST auth/login/` once for a token (kept in the token store and sent as
 * `Authorization: Token …`), one fresh login when a token is refused, timeouts, and retries with
 * exponential backoff and jitter for GET and PATCH on 408, 429 (honouring `Retry-After` up to a cap), 5xx,
 * timeouts, network errors and answers that are not JSON. POSTs are never retried here: a create is retried
 * only behind a look-up (`createBehindLookup`). Every request has an overall deadline and a cap on the size
 * of its answer. Every failure becomes a typed `OmnitronError` holding no secret; every answer is
 * validated. An answer with a 2xx status that cannot be used gives an error with `delivered: true`: the
 * request was carried out.
 *
 * One budget (`retry.limit + 1` attempts) covers every kind of failure: ky retries 5xx, timeouts and
 * network errors, and each time a garbled answer is asked for again, ky is given only the retries left. The
 * answer is read here, outside ky, not in an `afterResponse` hook: ky tees every response it hands such a
 * hook and builds a new one, which cost about 0.65 ms of CPU per request (a quarter of the import's speed).
 *
 * ky's options are prepared once and each call adds only its own (the token, the retries left, the
 * deadline's signal, and the deadline and attempt-counting `fetch` its attempts are sent with): an instance made with `ky.create` deep-merges its defaults
 * into every call's options, and a call with `searchParams` builds its `Request` twice, so the query goes
 * into the path instead. Each attempt is sent by a `beforeRequest` hook ({@link sendAttempt}), not by ky's
 * fetch step, which clones the request and joins signals at a cost that mattered.
 */
export class OmnitronHttpClient {
  /** ky's options shared by every call (see {@link OmnitronHttpClient.#ky}). */
  readonly #kyOptions: KyCall;
  readonly #options: OmnitronHttpClientOptions;
  readonly #deadlineMs: number;
  readonly #reader: AnswerReader;
  readonly #session: TokenSession;
  /** Omnitron's host and port, for telemetry (never the path or credentials). */
  readonly #server: RequestServer;
  /** The `fetch` every attempt goes through ({@link nodeFetch}, unless the options give one). */
  readonly #fetch: typeof fetch;

  constructor(options: OmnitronHttpClientOptions) {
    this.#options = options;
    this.#server = requestServer(options.baseUrl);
    // Looked up on each call, not bound once: a fetch replaced later (a test's stub) is the one used. Node's
    // own is replaced by `nodeFetch`, which does the same over node:http at a fraction of the cost.
    this.#fetch =
      options.fetch ??
      ((input, init) =>
        globalThis.fetch === NODE_FETCH ? nodeFetch(input, init) : globalThis.fetch(input, init));
    const { retry, timeout, maxResponseBytes, redactor, logger } = options;
    this.#deadlineMs = options.deadline ?? defaultDeadline(timeout, retry);
    this.#kyOptions = {
      prefixUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1/`,
      // The attempt's timeout is kept by `sendAttempt`, which sends it.
      timeout: false,
      redirect: 'manual',
      retry: {
        // A login's; `request` gives each call only what is left of its own budget.
        limit: retry.limit,
        methods: ['get', 'patch'],
        statusCodes: RETRIED_STATUSES,
        afterStatusCodes: AFTER_STATUSES,
        // ky waits min(Retry-After, maxRetryAfter); a longer ask never gets here (see #shouldRetry).
        maxRetryAfter: options.maxRetryAfter,
        retryOnTimeout: true,
        jitter: true,
        backoffLimit: retry.backoffLimit,
        delay: (attempt) => retry.baseDelay * 2 ** (attempt - 1),
      },
      hooks: {
        beforeRequest: [sendAttempt(timeout)],
        beforeRetry: [
          ({ request, retryCount, error }) => {
            logger.debug(
              {
                method: request.method,
                url: new URL(request.url).pathname,
                retryCount,
                reason: redactor.redactText(error.message),
              },
              'retrying Omnitron request',
            );
          },
        ],
      },
    };
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
      // Logging in twice is harmless, so a login is retried like a GET; TokenSession reads its answer.
      post: (path, json, deadline) => {
        const attempts = requestAttempts('POST', path, this.#server);
        const sent = this.#ky(path, {
          method: 'post',
          headers: JSON_BODY,
          signal: deadline.signal,
          context: { deadline, fetch: attempts.wrap(this.#fetch), body: JSON.stringify(json) },
          retry: {
            methods: ['post'],
            shouldRetry: this.#shouldRetry(deadline, attempts),
          },
        });
        // The login's last attempt ends with its answer's headers (TokenSession reads the body).
        return sent.finally(() => attempts.settle());
      },
    });
  }

  /**
   * Sends one request and returns its validated answer. Everything it does (a login, retries, waits, a
   * fresh login after a refused token, asking again after a garbled answer) ends within the deadline.
   */
  request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    spec: RequestSpec<S>,
  ): Promise<z.infer<S>> {
    return inRequestSpan(
      method,
      path,
      (telemetry) => this.#send(method, path, spec, telemetry),
      this.#server,
    );
  }

  /** {@link OmnitronHttpClient.request}, reporting to its span. */
  async #send<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    spec: RequestSpec<S>,
    telemetry: RequestTelemetry,
  ): Promise<z.infer<S>> {
    const { logger, retry } = this.#options;
    const deadline = new Deadline(this.#deadlineMs);
    const started = Date.now();
    const attempts = retry.limit + 1;
    // Attempts taken from the budget so far, counted as ky sends them (ky calls its `fetch` once per attempt).
    let sent = 0;
    const { attempts: traced } = telemetry;
    const shouldRetry = this.#shouldRetry(deadline, traced);
    const fetchTraced = traced.wrap(this.#fetch);
    const fetchCounted: typeof fetch = (input, init) => {
      sent += 1;
      return fetchTraced(input, init);
    };
    const target = spec.query ? withQuery(path, spec.query) : path;
    // Made once for every attempt, and sent by `sendAttempt`: ky is not given it (see AttemptContext.body).
    const body = spec.json === undefined ? undefined : JSON.stringify(spec.json);
    let renewed = false;
    try {
      let token = await deadline.race(this.#session.current());
      for (;;) {
        let response: Response;
        try {
          response = await deadline.race(
            this.#ky(target, {
              method,
              headers:
                body === undefined
                  ? { Authorization: `Token ${token}` }
                  : { Authorization: `Token ${token}`, ...JSON_BODY },
              retry: { limit: attempts - sent - 1, shouldRetry },
              signal: deadline.signal,
              context: { deadline, fetch: fetchCounted, body },
            }),
          );
        } catch (thrown) {
          if (thrown instanceof HTTPError) this.#options.clock?.observe(thrown.response.headers);
          // A refused token (expired, revoked) gets one fresh login and one more try, for every method: a
          // request refused with 401 was not carried out. That try is not taken from the budget.
          if (renewed || !(thrown instanceof HTTPError) || thrown.response.status !== 401) throw thrown;
          discardBody(thrown.response);
          traced.settle();
          logger.debug({ method, path }, 'Omnitron refused the token; logging in again');
          renewed = true;
          sent -= 1;
          token = await deadline.race(this.#session.renew(token));
          continue;
        }
        this.#options.clock?.observe(response.headers);
        const { status } = response;
        telemetry.answered(status);
        logger.debug({ method, path, status, ms: Date.now() - started }, 'Omnitron request');
        const http = { method, path, status };
        const answer = readAnswer(await this.#reader.read(http, response, deadline));
        // A body that is not JSON (cut off, an HTML error page), or no body at all where a read expects
        // one, is a passing fault: ask again, after a backoff like ky's, when that is safe and the budget
        // allows.
        const garbled = !answer.json || (method === 'GET' && answer.text.length === 0);
        if (!garbled || method === 'POST' || sent >= attempts) {
          const checked = this.#reader.check(http, answer, spec.schema);
          traced.settle();
          return checked;
        }
        traced.settle(GARBLED);
        logger.debug({ method, path, attempt: sent }, 'retrying after an answer that is not JSON');
        await pause(this.#backoff(sent), deadline.signal);
      }
    } catch (thrown) {
      // The login's errors, and those of reading an answer, are typed already.
      if (thrown instanceof OmnitronError) {
        traced.settle(thrown.code);
        throw thrown;
      }
      // ky's errors, a network failure, the deadline passing (in a login, a wait or a retry).
      const error = await this.#reader.failure(thrown, { method, path }, spec.json, deadline);
      traced.settle(error.code);
      if (error.http?.status !== undefined) telemetry.answered(error.http.status);
      logger.debug(
        { method, path, status: error.http?.status, code: error.code, ms: Date.now() - started },
        'Omnitron request failed',
      );
      throw error;
    } finally {
      telemetry.retried(Math.max(0, sent - 1));
      deadline.dispose();
    }
  }

  /**
   * Every item of a paged list, page by page (`?page=N&limit=M`), with the same auth, retries and checks
   * on every page. The server is not trusted to end the list: a page that is empty, shorter than the
   * pages before it or ends the count is the last whatever `next` says (a short first page while more
   * follow sets the page size: Omnitron may cap it below ours); a page whose items repeat the previous page's
   * (a server that ignores `?page=`) is an `OmnitronResponseError`, and so is a list longer than
   * `maxPages` pages, instead of paging for ever.
   *
   * With `feed`, the list is one its reader drains from the front: an update feed (`orders/updates/`,
   * `cancellation_requests/updates/`), whose items leave it once handled, or the batch requests of a status
   * the reader moves them out of. What one read leaves, the next read starts with. There a page that brings
   * no item not read already (a server that ignores `?page=` answers its first page again) ends the read,
   * with a warning, instead of failing it: the items read are handled now and the rest by the next reads.
   * Failing would hand over nothing, run after run, once the list is longer than a page. An item that a
   * list which moved between two pages shows twice is handed on once.
   */
  async *paginate<S extends z.ZodType>(
    path: string,
    query: Query,
    schema: S,
    pageSize = 100,
    options: { feed?: boolean } = {},
  ): AsyncGenerator<z.infer<S>> {
    const feed = options.feed ?? false;
    const maxPages = this.#options.maxPages ?? DEFAULT_MAX_PAGES;
    let previous: string | undefined;
    // A feed's items read so far, by `itemId`.
    const seen = new Set<string>();
    // Items read so far, and the page size Omnitron serves (ours, unless its first page shows a cap).
    let read = 0;
    let served = pageSize;
    for (let page = 1; ; page += 1) {
      if (page > maxPages) {
        throw new OmnitronResponseError(
          `Omnitron's list GET ${path} goes on past maxPages (${maxPages} pages of ${pageSize}); reading stopped there`,
          { http: { method: 'GET', path, status: 200 }, delivered: true },
        );
      }
      const envelope = await this.request('GET', path, {
        query: { ...query, page, limit: pageSize },
        schema: PageEnvelope,
      });
      const ids = pageIds(envelope.results);
      if (feed && envelope.results.length > 0 && envelope.results.every((raw) => seen.has(itemId(raw)))) {
        this.#options.logger.warn(
          { path, page, pageSize, read },
          'Omnitron answered a page of a feed with items already read (it ignores ?page=); the rest is left for the next read',
        );
        return;
      }
      if (ids !== undefined && ids === previous) {
        throw new OmnitronResponseError(
          `Omnitron answered page ${page} of GET ${path} with the same items as page ${page - 1} (it repeats pages: ?page= is ignored); reading stopped there`,
          { http: { method: 'GET', path, status: 200 }, delivered: true },
        );
      }
      previous = ids;
      for (const [index, raw] of envelope.results.entries()) {
        if (feed) {
          const id = itemId(raw);
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const item = schema.safeParse(raw);
        if (!item.success)
          throw this.#reader.shapeError(
            { method: 'GET', path, status: 200 },
            item.error,
            `results.${index}.`,
          );
        yield item.data;
      }
      const { results, next, count } = envelope;
      read += results.length;
      if (!next || results.length === 0 || read >= count) return;
      // A first page shorter than asked while more follow: Omnitron caps the page size below ours. Its
      // own size is the measure from then on, so the rest of the list is not lost.
      if (page === 1 && results.length < pageSize) served = results.length;
      if (results.length < served) {
        // Taken as the last page, though Omnitron says more follow: it pages inconsistently. Say so.
        this.#options.logger.warn(
          { path, page, pageSize: served, results: results.length, count },
          'Omnitron answered a page shorter than its others yet says more follow; taking it as the last page',
        );
        return;
      }
    }
  }

  /**
   * One ky call: the shared options with this call's own on top (its `retry` on top of the shared one).
   * The base `ky` is called, not an instance made with `ky.create`, which would deep-merge the shared
   * options into every call's.
   */
  #ky(path: string, options: KyCall) {
    const shared = this.#kyOptions;
    return ky(path, { ...shared, ...options, retry: { ...shared.retry, ...options.retry } });
  }

  /** The wait before retry number `retry` after a garbled answer: ky's backoff, with full jitter. */
  #backoff(retry: number): number {
    const { baseDelay, backoffLimit } = this.#options.retry;
    return Math.min(backoffLimit, Math.random() * baseDelay * 2 ** (retry - 1));
  }

  /**
   * ky's `shouldRetry` for one request: its attempt's span ended, no wait for a `Retry-After` that cannot be honoured, and the answer
   * of an attempt that is retried closed before the wait.
   */
  #shouldRetry(deadline: Deadline, attempts: HttpAttempts) {
    return ({ error }: { error: Error }): boolean | undefined => {
      // The attempt is over whatever ky decides: its span ends before the wait, not after it. One that got
      // no answer is failed here already if its timeout fired before the aborted fetch rejected.
      attempts.settle(error instanceof HTTPError ? undefined : errorType(error));
      if (!(error instanceof HTTPError)) return undefined;
      const { response } = error;
      // An answer retried inside ky is seen only here.
      this.#options.clock?.observe(response.headers);
      const decision = this.#afterRetryAfter(response, deadline);
      // ky retries a status it was given when this says nothing (or `true`): the answer is dropped unread,
      // so close it now, before the wait (see `discardBody`). One not retried is read for the error.
      if (decision !== false && RETRIED_STATUSES.includes(response.status)) discardBody(response);
      return decision;
    };
  }

  /**
   * `false` for an answer whose `Retry-After` cannot be honoured (past the cap or the deadline): waiting
   * helps nobody, so the request fails now with Omnitron's own answer. `true` for one whose `Retry-After`
   * cannot be read (`soon`, `120s`): ky would wait the whole `maxRetryAfter` for it (its parse gives NaN,
   * and it waits `min(NaN, max)` as `max`), while `true` makes it retry after its normal backoff.
   * `undefined` leaves it to ky.
   */
  #afterRetryAfter(response: Response, deadline: Deadline): boolean | undefined {
    if (!AFTER_STATUSES.includes(response.status)) return undefined;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined) return retryAfterHeader(response.headers) === undefined ? undefined : true;
    return wait > this.#options.maxRetryAfter || wait >= deadline.remaining() ? false : undefined;
  }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (the deadline passing): the timer is
 * cleared then, so a long backoff never outlives its request.
 */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What identifies a page's items, to see a page repeat the one before: their `pk` (or `id`), or the item
 * itself when it has neither. An empty page is never a repeat (it ends the list anyway).
 */
function pageIds(results: readonly unknown[]): string | undefined {
  if (results.length === 0) return undefined;
  return JSON.stringify(results.map(idOf));
}

/** What identifies one item of a list: its `pk` (or `id`), or the item itself when it has neither. */
function idOf(item: unknown): unknown {
  if (item === null || typeof item !== 'object') return item;
  const { pk, id } = item as { pk?: unknown; id?: unknown };
  return pk ?? id ?? item;
}

/** {@link idOf} as a string, to remember which items of a feed were read. */
function itemId(item: unknown): string {
  return JSON.stringify(idOf(item));
}

/**
 * The path with its query parameters, encoded as URL search parameters: an array becomes repeated keys,
 * `undefined` is left out. ky would do the same with `searchParams`, but at the cost of a second `Request`.
 */
function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `${path}?${encoded}` : path;
}
