import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  type Span,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { errorType, markFailed } from './error-type.js';
import { SCOPE } from './meter.js';

/** How many times the request about to be made was sent before, when a caller sends it again itself. */
const RESENDS = createContextKey('channel-app-sdk resends');

/**
 * Runs `send` as the `count`th resend of a request: a create sent again after a look-up did not find it is
 * the same request sent once more, so its attempts carry `http.request.resend_count` from `count` on.
 * Needs a context manager (every OpenTelemetry Node SDK registers one); without it the count starts at 0.
 */
export function asResend<T>(count: number, send: () => Promise<T>): Promise<T> {
  if (count === 0) return send();
  return context.with(context.active().setValue(RESENDS, count), send);
}

/** Records one attempt's duration, with its outcome's attributes. */
export type AttemptRecord = (seconds: number, attributes: Attributes) => void;

/** One attempt under way. */
interface OpenAttempt {
  span: Span;
  started: number;
  attributes: Attributes;
}

/**
 * The attempts of one logical HTTP request, each its own CLIENT span (`GET channel/{id}/orders/`) under
 * the span of the logical request, as OpenTelemetry's HTTP conventions ask of a client that retries: one
 * span per request sent, `http.request.resend_count` on every one after the first. An attempt starts when
 * `fetch` is called and lasts until {@link HttpAttempts.settle}: its answer read, or the decision to send it
 * again, or its failure. The attributes are the logical request's (method, route template, server), the
 * answer's status, `error.type` (the status for a 4xx or 5xx, `timeout`, a network error's code, or the
 * SDK's error code for an answer it could not use), and `url.full` with every query value replaced by
 * `REDACTED` and no credentials.
 */
export class HttpAttempts {
  readonly #name: string;
  readonly #attributes: Attributes;
  readonly #parent: Context;
  readonly #record: AttemptRecord;
  /** The resend count of the next attempt. */
  #next: number;
  #open: OpenAttempt | undefined;

  /** Made inside the logical request's span, which becomes every attempt's parent. */
  constructor(name: string, attributes: Attributes, record: AttemptRecord) {
    this.#name = name;
    this.#attributes = attributes;
    this.#record = record;
    this.#parent = context.active();
    this.#next = Number(this.#parent.getValue(RESENDS) ?? 0);
  }

  /** `base`, with each call traced as one attempt. */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      // An attempt nobody settled (a path not foreseen) ends when the next one starts.
      this.settle();
      const attempt = this.#begin(input);
      try {
        const response = await base(input, init);
        attempt.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
        attempt.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = response.status;
        if (response.status >= 400) this.#fail(attempt, String(response.status));
        return response;
      } catch (error) {
        this.settle(errorType(error));
        throw error;
      }
    };
  }

  /**
   * Ends the attempt under way, if any, as failed with `errorType` when given (an attempt answered with a
   * 4xx or 5xx keeps its status as `error.type`).
   */
  settle(errorType?: string): void {
    const attempt = this.#open;
    if (!attempt) return;
    this.#open = undefined;
    if (errorType !== undefined) this.#fail(attempt, errorType);
    attempt.span.end();
    this.#record((performance.now() - attempt.started) / 1000, attempt.attributes);
  }

  #begin(input: Parameters<typeof fetch>[0]): OpenAttempt {
    const resends = this.#next;
    this.#next += 1;
    const span = trace
      .getTracer(SCOPE)
      .startSpan(this.#name, { kind: SpanKind.CLIENT, attributes: this.#attributes }, this.#parent);
    if (resends > 0) span.setAttribute(ATTR_HTTP_REQUEST_RESEND_COUNT, resends);
    // Built only for a span that is recorded: parsing a URL per request costs more than a no-op span.
    if (span.isRecording()) span.setAttribute(ATTR_URL_FULL, redactedUrl(requestUrl(input)));
    this.#open = { span, started: performance.now(), attributes: { ...this.#attributes } };
    return this.#open;
  }

  #fail(attempt: OpenAttempt, type: string): void {
    if (attempt.attributes[ATTR_ERROR_TYPE] !== undefined) return;
    attempt.attributes[ATTR_ERROR_TYPE] = type;
    markFailed(attempt.span, type);
  }
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/**
 * A URL fit for a span: no user or password, and every query value replaced by `REDACTED` (keys stay,
 * so `?page=REDACTED&limit=REDACTED` still says what was asked). Query values can be e-mail addresses,
 * order numbers or, with some servers, keys.
 */
export function redactedUrl(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  if (url.search !== '') {
    const redacted = new URLSearchParams();
    for (const key of url.searchParams.keys()) redacted.append(key, 'REDACTED');
    url.search = redacted.toString();
  }
  url.hash = '';
  return url.href;
}
