import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { ChannelAppError } from '../errors/channel-app-error.js';

/**
 * OpenTelemetry's `error.type` of something thrown, never its message (it may quote a body or an event):
 * the SDK's error code, `timeout` for an abort or a timeout, a network error's code (`ECONNREFUSED`,
 * `UND_ERR_SOCKET`), else the error's class name.
 */
export function errorType(error: unknown): string {
  if (error instanceof ChannelAppError) return error.code;
  if (!(error instanceof Error)) return '_OTHER';
  if (['TimeoutError', 'AbortError', 'DeadlinePassed'].includes(error.name)) return 'timeout';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
  return /^\w{1,64}$/.test(error.name) ? error.name : '_OTHER';
}

/** Marks a span failed: `error.type` and an error status saying the same. */
export function markFailed(span: Span, type: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}
