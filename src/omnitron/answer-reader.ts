import type { z } from 'zod';
import type { HttpDetails } from '../errors/channel-app-error.js';
import type { OmnitronError } from '../errors/omnitron-errors.js';
import { OmnitronNetworkError, OmnitronResponseError } from '../errors/omnitron-errors.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { snapshotCause } from './cause-snapshot.js';
import { Deadline } from './deadline.js';
import { cut, type ErrorContext, toOmnitronError } from './http-errors.js';
import { readBodyCapped } from './read-body.js';

/** Error bodies are only read for their message and field errors: this much is plenty. */
const ERROR_BODY_BYTES = 1024 * 1024;

/** An answer's text and, when it parses as JSON, its value (an empty body reads as `null`). */
export type ReadAnswer = { text: string } & ({ json: true; body: unknown } | { json: false });

/**
 * An answer's text, parsed once. One that is not JSON (cut off, an HTML error page) is a passing fault,
 * which the transport asks again when that is safe.
 */
export function readAnswer(text: string): ReadAnswer {
  try {
    return { text, json: true, body: text.length === 0 ? null : JSON.parse(text) };
  } catch {
    return { text, json: false };
  }
}

/** What {@link AnswerReader} needs. */
export interface AnswerReaderOptions {
  /** Per attempt, in ms: also the longest wait for a body once its headers have arrived. */
  timeout: number;
  /** The largest answer read, in bytes. */
  maxResponseBytes: number;
  /** Removes secrets from the bodies and messages kept in errors. */
  redactor: SecretRedactor;
}

/**
 * Reads and validates Omnitron's answers, and turns every way they can fail into a typed `OmnitronError`:
 * the size cap, the per-attempt body timeout, JSON that does not parse, an answer of the wrong shape, the
 * request's deadline passing. Kept apart from the transport so that every request (the login included)
 * reads answers, and words their failures, the same way.
 */
export class AnswerReader {
  readonly #options: AnswerReaderOptions;

  constructor(options: AnswerReaderOptions) {
    this.#options = options;
  }

  /**
   * Reads a 2xx answer within the size cap, the attempt's `timeout` (ky's own covers only the wait for the
   * headers) and the deadline. The request was carried out, so every failure here says `delivered: true`.
   */
  async read(http: Required<HttpDetails>, response: Response, deadline: Deadline): Promise<string> {
    const { timeout, maxResponseBytes, redactor } = this.#options;
    let body: Awaited<ReturnType<typeof readBodyCapped>>;
    const attempt = new Deadline(timeout);
    try {
      body = await deadline.race(readBodyCapped(response, maxResponseBytes, attempt.signal));
    } catch (thrown) {
      if (deadline.expired) throw this.deadlineError(http, undefined, deadline, true);
      const where = `${http.method} ${http.path}`;
      if (attempt.expired) {
        throw new OmnitronNetworkError(
          `Omnitron's answer to ${where} (HTTP ${http.status}) did not arrive in full within the timeout of ${timeout} ms`,
          {
            cause: snapshotCause(thrown, http, redactor, 'the body stalled'),
            http,
            timedOut: true,
            delivered: true,
          },
        );
      }
      throw new OmnitronNetworkError(
        `Omnitron's answer to ${where} (HTTP ${http.status}) broke off before its end`,
        { cause: snapshotCause(thrown, http, redactor), http, delivered: true },
      );
    } finally {
      attempt.dispose();
    }
    if (body.complete) return body.text;
    throw new OmnitronResponseError(
      `Omnitron answered ${http.method} ${http.path} (HTTP ${http.status}) with more than maxResponseBytes (${maxResponseBytes} bytes); reading stopped there`,
      { http, delivered: true },
    );
  }

  /**
   * Checks an answer read with {@link readAnswer} against `schema`. An empty body is `null`. With
   * `keepBody: false` (a login, whose answer is the token itself) a body that is not JSON is not kept in
   * the error.
   */
  check<S extends z.ZodType>(
    http: Required<HttpDetails>,
    answer: ReadAnswer,
    schema: S,
    keepBody = true,
  ): z.infer<S> {
    if (!answer.json) {
      const { text } = answer;
      let thrown: unknown;
      try {
        JSON.parse(text);
      } catch (error) {
        thrown = error;
      }
      const { redactor } = this.#options;
      throw new OmnitronResponseError(
        `Omnitron answered ${http.method} ${http.path} with a body that is not JSON`,
        {
          // JSON.parse's message quotes the body: only its class is kept.
          cause: snapshotCause(thrown, http, redactor, 'the body is not JSON'),
          http,
          delivered: true,
          ...(keepBody ? { responseBody: redactor.redactText(text.slice(0, 500)) } : {}),
        },
      );
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw this.shapeError(http, parsed.error);
    return parsed.data;
  }

  /**
   * The error for an answer of the wrong shape, listing its first issues; `prefix` places the issues
   * inside the answer (`results.3.` for an item of a page).
   */
  shapeError(http: Required<HttpDetails>, error: z.ZodError, prefix = ''): OmnitronResponseError {
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

  /**
   * The error for a request whose deadline passed. `delivered` defaults to whether a 2xx answer had begun
   * to arrive: then the request was carried out.
   */
  deadlineError(
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

  /**
   * Turns what a request threw before its answer was read (ky's errors, a network failure, the deadline's
   * abort) into a typed error: the deadline's error once it has passed, else the one for that kind of
   * failure, with the error body read within the caps.
   */
  async failure(
    thrown: unknown,
    http: HttpDetails,
    json: unknown,
    deadline: Deadline,
  ): Promise<OmnitronError> {
    if (deadline.expired) return this.deadlineError(http, json, deadline);
    return toOmnitronError(
      thrown,
      { method: http.method, path: http.path, json },
      this.#errorContext(deadline),
    );
  }

  #errorContext(deadline: Deadline): ErrorContext {
    const { timeout, maxResponseBytes, redactor } = this.#options;
    return {
      redactor,
      readBody: async (response) => {
        // An error body that stalls is given up after the attempt's timeout; the error stands without it.
        const attempt = new Deadline(timeout);
        try {
          const cap = Math.min(ERROR_BODY_BYTES, maxResponseBytes);
          return (await deadline.race(readBodyCapped(response, cap, attempt.signal))).text;
        } finally {
          attempt.dispose();
        }
      },
    };
  }
}
