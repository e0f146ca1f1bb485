import type { SecretRedactor } from '../foundation/redact.js';

/**
 * What an Omnitron error keeps of the low-level failure behind it (ky's `HTTPError` or `TimeoutError`, a
 * `fetch` failure, a JSON or schema error), as plain data. The originals are never kept: they carry the
 * request with its `Authorization` header, and for a login the password in the request options, and JSON's
 * messages quote the body.
 */
export interface CauseSnapshot {
  /** The original error's class name, such as `HTTPError` or `TypeError`. */
  readonly name: string;
  /** What happened, in the SDK's own words or the original message with secrets redacted. */
  readonly message: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request under `/api/v1/`, without query. */
  readonly path: string;
  /** Response status, when a response arrived. */
  readonly status?: number;
  /** A system error code of the network failure, such as `ECONNREFUSED`. */
  readonly code?: string;
}

/** Takes a plain, redacted snapshot of `thrown`. */
export function snapshotCause(
  thrown: unknown,
  request: { method: string; path: string; status?: number },
  redactor: SecretRedactor,
  message?: string,
): CauseSnapshot {
  const error = thrown instanceof Error ? thrown : undefined;
  const code = systemCode(error?.cause) ?? systemCode(error);
  return Object.freeze({
    name: error?.name ?? typeof thrown,
    message: redactor.redactText(message ?? describe(thrown)),
    method: request.method,
    path: request.path,
    ...(request.status === undefined ? {} : { status: request.status }),
    ...(code === undefined ? {} : { code }),
  });
}

function describe(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  // `fetch failed` says little; the cause (ECONNREFUSED, a reset socket) says what happened.
  const inner = thrown.cause instanceof Error ? `: ${thrown.cause.message}` : '';
  return `${thrown.message}${inner}`.slice(0, 500);
}

function systemCode(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
