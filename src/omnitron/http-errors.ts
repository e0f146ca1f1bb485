import { HTTPError, TimeoutError } from 'ky';
import type { HttpDetails } from '../errors/channel-app-error.js';
import type { OmnitronError } from '../errors/omnitron-errors.js';
import {
  BATCH_TRANSITION_REJECTED_CODE,
  OmnitronAuthError,
  OmnitronConflictError,
  OmnitronNetworkError,
  OmnitronNotFoundError,
  OmnitronResponseError,
  OmnitronServerError,
  OmnitronValidationError,
} from '../errors/omnitron-errors.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { snapshotCause } from './cause-snapshot.js';

/** Bodies kept in errors are cut to this many characters. */
const BODY_LIMIT = 4000;

/** What the mapping needs to know about the request that failed. */
export interface FailedRequest {
  method: string;
  path: string;
  /** The JSON body sent, if any. */
  json?: unknown;
}

/** How the mapping redacts and reads bodies. */
export interface ErrorContext {
  /** Removes secrets from bodies and messages. */
  redactor: SecretRedactor;
  /** Reads an error response's body, within the size cap and the deadline. */
  readBody: (response: Response) => Promise<string>;
}

/**
 * Turns whatever ky threw into the typed Omnitron error for that kind of failure, with method, path,
 * status and both bodies (secrets redacted). ky's error is not kept: its `cause` is a plain snapshot, since
 * ky's errors hold the request with its `Authorization` header (and a login's password in their options).
 */
export async function toOmnitronError(
  error: unknown,
  request: FailedRequest,
  context: ErrorContext,
): Promise<OmnitronError> {
  const { redactor } = context;
  const requestBody =
    request.json === undefined ? undefined : cut(JSON.stringify(redactor.redactValue(request.json)));
  const where = `${request.method} ${request.path}`;
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const text = await context.readBody(error.response).catch(() => '');
    const responseBody = cut(redactor.redactText(text));
    const http: HttpDetails = { method: request.method, path: request.path, status };
    const cause = snapshotCause(error, http, redactor, `HTTP ${status} ${error.response.statusText}`.trim());
    const options = { cause, http, requestBody, responseBody };
    const said = responseBody ? `: ${responseBody.slice(0, 300)}` : '';
    if (status >= 300 && status < 400) {
      // Redirects are never followed: a login sent on to another address would carry the password there.
      return new OmnitronResponseError(
        `Omnitron answered ${where} with a redirect (HTTP ${status}), which the SDK does not follow; set baseUrl to the address Omnitron answers at`,
        options,
      );
    }
    if (status === 401 || status === 403)
      return new OmnitronAuthError(`Omnitron refused the credentials for ${where} (HTTP ${status})`, options);
    if (status === 404) return new OmnitronNotFoundError(`Omnitron has no ${where} (HTTP 404)`, options);
    // The reference documents refusals as 400 `{non_field_errors: [...], code}`; the Python saw 406 with
    // `error_code`. A refused batch transition is a conflict either way.
    if (status === 406 || status === 409 || (status === 400 && isRefusedTransition(text))) {
      const code = omnitronCodeIn(text);
      return new OmnitronConflictError(`Omnitron refused ${where} (HTTP ${status})${said}`, {
        ...options,
        // The code is read from the body, so it is redacted like the body.
        ...(code === undefined ? {} : { omnitronCode: redactor.redactText(code) }),
      });
    }
    if (status === 408 || status === 429 || status >= 500)
      return new OmnitronServerError(`Omnitron failed ${where} (HTTP ${status})${said}`, options);
    return new OmnitronValidationError(`Omnitron rejected ${where} (HTTP ${status})${said}`, {
      ...options,
      // Omnitron's messages may quote what was sent: they are redacted like the bodies.
      fieldErrors: redactFieldErrors(fieldErrorsIn(text), redactor),
    });
  }
  const http: HttpDetails = { method: request.method, path: request.path };
  if (error instanceof TimeoutError) {
    return new OmnitronNetworkError(`Omnitron did not answer ${where} in time`, {
      cause: snapshotCause(error, http, redactor, 'no response headers before the timeout'),
      http,
      requestBody,
      timedOut: true,
    });
  }
  const reason =
    error instanceof Error
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : String(error);
  const said = redactor.redactText(reason);
  const code = networkCodeOf(error);
  const message =
    code !== undefined && CONNECT_FAILED.has(code)
      ? `Could not connect to Omnitron for ${where}: ${said}`
      : code !== undefined && CLOSED.has(code)
        ? `Omnitron closed the connection before answering ${where} (the request may have been applied): ${said}`
        : `${where} to Omnitron failed without an answer (the request may have been applied): ${said}`;
  return new OmnitronNetworkError(message, {
    cause: snapshotCause(error, http, redactor),
    http,
    requestBody,
  });
}

/** Codes of a connection that was never made: the request was not sent. */
const CONNECT_FAILED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes of a connection closed after it was made: the request may have reached Omnitron. */
const CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/** The system or undici code of a network failure, from fetch's `TypeError` or any cause below it. */
function networkCodeOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
    // fetch's "socket hang up" carries no code of its own.
    if (/socket hang up|other side closed/i.test(current.message)) return 'ECONNRESET';
  }
  return undefined;
}

/**
 * Omnitron's machine-readable code in an error body, such as `batch_request_status_100_1`. Omnitron's API
 * reference documents it under `code` (`{"non_field_errors": [...], "code": ...}`); the Python client read
 * `error_code`. Both are accepted, `error_code` first as the more specific one.
 */
export function omnitronCodeIn(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const { error_code: errorCode, code } = body as { error_code?: unknown; code?: unknown };
      if (typeof errorCode === 'string' && errorCode) return errorCode;
      if (typeof code === 'string' && code) return code;
    }
  } catch {
    // Not JSON: look for the code in the text, as the Python client did.
  }
  return /\b[a-z_]+_\d+(?:_\d+)+\b/.exec(text)?.[0];
}

/** Whether an error body carries Omnitron's "batch request cannot be updated" code. */
function isRefusedTransition(text: string): boolean {
  return omnitronCodeIn(text) === BATCH_TRANSITION_REJECTED_CODE;
}

/**
 * DRF's error body by field: `{field: [messages]}`, `{non_field_errors: [messages]}` or `{detail: message}`.
 * A message may come as a string or a list of strings (the reference documents lists; the Python client's
 * fixtures had strings). The machine code (`code`, `error_code`) is not a field: {@link omnitronCodeIn}
 * reads it.
 */
export function fieldErrorsIn(text: string): Record<string, string[]> {
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
    const out: Record<string, string[]> = {};
    for (const [field, value] of Object.entries(body)) {
      if (field === 'code' || field === 'error_code') continue;
      if (typeof value === 'string') out[field] = [value];
      else if (Array.isArray(value))
        out[field] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    }
    return out;
  } catch {
    return {};
  }
}

function redactFieldErrors(
  errors: Record<string, string[]>,
  redactor: SecretRedactor,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, messages]) => [
      redactor.redactText(field),
      messages.map((m) => redactor.redactText(m)),
    ]),
  );
}

/** Cuts a body kept in an error to {@link BODY_LIMIT} characters, saying how much was left out. */
export function cut(text: string): string {
  return text.length > BODY_LIMIT
    ? `${text.slice(0, BODY_LIMIT)}… (${text.length - BODY_LIMIT} more characters)`
    : text;
}
