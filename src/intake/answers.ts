import type { PayloadIssue } from '../errors/invalid-payload-error.js';
import type { SecretRedactor } from '../reporting/redact.js';

/** The JSON body of a refused webhook call. */
export interface WebhookErrorBody {
  /** What went wrong, for the marketplace's delivery log. */
  error: string;
  /** For a 422: every offending field. */
  issues?: PayloadIssue[];
}

/**
 * A JSON answer, passed through the redactor: the issues of a 422 quote values of the payload, and nothing
 * the handler answers may carry a secret it knows.
 */
export function jsonAnswer(
  status: number,
  body: WebhookErrorBody | Record<string, unknown>,
  redactor: SecretRedactor,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(redactor.redactValue(body)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
