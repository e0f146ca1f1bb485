import type { PayloadIssue } from '../errors/channel-errors.js';
import type { SecretRedactor } from '../foundation/redact.js';

/** The JSON body of a refused webhook call. */
export interface WebhookErrorBody {
  /** What went wrong, for the marketplace's delivery log. */
  error: string;
  /** For a 422: every offending field. */
  issues?: PayloadIssue[];
}

/**
 * A JSON answer, passed through the redactor: nothing the handler answers may carry a secret it knows. The
 * issues of a 422 name fields and rules, never values, so no personal data of the payload comes back
 * either; the redactor is the second line, for field names or messages an app's schema could add.
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
