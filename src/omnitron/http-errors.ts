import { HTTPError, TimeoutError } from 'ky';
import type { HttpDetails } from '../errors/channel-app-error.js';
import { OmnitronAuthError } from '../errors/omnitron-auth-error.js';
import { OmnitronConflictError } from '../errors/omnitron-conflict-error.js';
import type { OmnitronError } from '../errors/omnitron-error.js';
import { OmnitronNetworkError } from '../errors/omnitron-network-error.js';
import { OmnitronNotFoundError } from '../errors/omnitron-not-found-error.js';
import { OmnitronServerError } from '../errors/omnitron-server-error.js';
import { OmnitronValidationError } from '../errors/omnitron-validation-error.js';
import type { SecretRedactor } from '../reporting/redact.js';

/** Bodies kept in errors are cut to this many characters. */
const BODY_LIMIT = 4000;

/** What the mapping needs to know about the request that failed. */
export interface FailedRequest {
  method: string;
  path: string;
  /** The JSON body sent, if any. */
  json?: unknown;
}

/**
 * Turns whatever ky threw into the typed Omnitron error for that kind of failure, with method, path,
 * status and both bodies (secrets redacted).
 */
export async function toOmnitronError(
  error: unknown,
  request: FailedRequest,
  redactor: SecretRedactor,
): Promise<OmnitronError> {
  const requestBody =
    request.json === undefined ? undefined : cut(JSON.stringify(redactor.redactValue(request.json)));
  const where = `${request.method} ${request.path}`;
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const text = await error.response.text().catch(() => '');
    const responseBody = cut(redactor.redactText(text));
    const http: HttpDetails = { method: request.method, path: request.path, status };
    const options = { cause: error, http, requestBody, responseBody };
    const said = responseBody ? `: ${responseBody.slice(0, 300)}` : '';
    if (status === 401 || status === 403)
      return new OmnitronAuthError(`Omnitron refused the credentials for ${where} (HTTP ${status})`, options);
    if (status === 404) return new OmnitronNotFoundError(`Omnitron has no ${where} (HTTP 404)`, options);
    if (status === 406 || status === 409) {
      return new OmnitronConflictError(`Omnitron refused ${where} (HTTP ${status})${said}`, {
        ...options,
        omnitronCode: omnitronCodeIn(text),
      });
    }
    if (status === 408 || status === 429 || status >= 500)
      return new OmnitronServerError(`Omnitron failed ${where} (HTTP ${status})${said}`, options);
    return new OmnitronValidationError(`Omnitron rejected ${where} (HTTP ${status})${said}`, {
      ...options,
      fieldErrors: fieldErrorsIn(text),
    });
  }
  const http: HttpDetails = { method: request.method, path: request.path };
  if (error instanceof TimeoutError) {
    return new OmnitronNetworkError(`Omnitron did not answer ${where} in time`, {
      cause: error,
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
  return new OmnitronNetworkError(`Could not reach Omnitron for ${where}: ${redactor.redactText(reason)}`, {
    cause: error,
    http,
    requestBody,
  });
}

/** Omnitron's `error_code` in an error body, such as `batch_request_status_100_1`. */
function omnitronCodeIn(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error_code?: unknown };
    if (typeof body.error_code === 'string') return body.error_code;
  } catch {
    // Not JSON: look for the code in the text, as the Python client did.
  }
  return /\b[a-z_]+_\d+(?:_\d+)+\b/.exec(text)?.[0];
}

/** DRF's `{field: [messages]}` (or `{field: message}`) error body, by field. */
export function fieldErrorsIn(text: string): Record<string, string[]> {
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
    const out: Record<string, string[]> = {};
    for (const [field, value] of Object.entries(body)) {
      if (typeof value === 'string') out[field] = [value];
      else if (Array.isArray(value)) out[field] = value.map(String);
    }
    return out;
  } catch {
    return {};
  }
}

function cut(text: string): string {
  return text.length > BODY_LIMIT
    ? `${text.slice(0, BODY_LIMIT)}… (${text.length - BODY_LIMIT} more characters)`
    : text;
}
