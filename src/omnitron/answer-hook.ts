import ky, { type AfterResponseHook } from 'ky';
import { OmnitronError } from '../errors/omnitron-error.js';
import type { Logger } from '../reporting/logger.js';
import { type AnswerReader, isJson } from './answer-reader.js';
import type { Deadline } from './deadline.js';
import type { TokenSession } from './token-session.js';

/** One call of the transport's `request`, as its ky hooks see it. */
export interface RequestCall {
  method: string;
  path: string;
  /** The JSON body sent, for the errors. */
  json: unknown;
  deadline: Deadline;
  /** Set once a refused token was renewed: its resend is the one retry outside the policy's budget. */
  renewed: boolean;
  /** The status of a 2xx answer whose body is being read: a deadline passing now finds it delivered. */
  reading?: number | undefined;
}

/** What {@link answerHook} needs. */
export interface AnswerHookOptions {
  reader: AnswerReader;
  session: TokenSession;
  logger: Logger;
  /** The retry policy's `limit`: retries after the first attempt. */
  limit: number;
}

/**
 * ky's `afterResponse` hook for one call. A refused token (401) gets one fresh login and one resend. A 2xx
 * body is read here, within the size cap, the attempt's timeout and the deadline, and handed on as a new
 * `Response`; one that is not JSON is asked for again with `ky.retry` (never for a POST) while the budget
 * allows, so it shares ky's retries with 5xx and timeouts. Errors thrown here are typed and never retried.
 */
export function answerHook(call: RequestCall, options: AnswerHookOptions): AfterResponseHook {
  return async (request, _options, response, { retryCount }) => {
    if (response.status === 401 && !call.renewed) {
      const refused = request.headers.get('Authorization')?.replace(/^Token /, '');
      if (refused) return resendWithFreshToken(call, options, request, refused);
    }
    // Any other error status becomes ky's HTTPError, retried by the policy or mapped by the transport.
    if (!response.ok) return undefined;
    const { method, path } = call;
    const { status } = response;
    call.reading = status;
    const text = await options.reader.read({ method, path, status }, response, call.deadline);
    // A body that is not JSON (cut off, an HTML error page) is a passing fault: ask again when that is safe.
    // The resend after a refused token is not taken from the budget.
    const retries = retryCount - (call.renewed ? 1 : 0);
    if (method !== 'POST' && !isJson(text) && retries < options.limit) {
      call.reading = undefined;
      return ky.retry({ code: 'NOT_JSON' });
    }
    // A 204 or 205 must have no body at all.
    return new Response(text === '' ? null : text, { status, headers: response.headers });
  };
}

/**
 * Logs in afresh after Omnitron refused `refused` and sends the request again with the new token, for
 * every method: a request refused with 401 was not carried out.
 */
async function resendWithFreshToken(
  call: RequestCall,
  options: AnswerHookOptions,
  request: Request,
  refused: string,
) {
  const { method, path, json, deadline } = call;
  options.logger.debug({ method, path }, 'Omnitron refused the token; logging in again');
  let token: string;
  try {
    token = await deadline.race(options.session.renew(refused));
  } catch (loginError) {
    // The login's errors are typed; a deadline passed while waiting for it is made one here.
    if (loginError instanceof OmnitronError) throw loginError;
    throw options.reader.deadlineError({ method, path }, json, deadline);
  }
  call.renewed = true;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Token ${token}`);
  // No wait: the login took its time already.
  return ky.retry({ request: new Request(request, { headers }), code: 'TOKEN_REFUSED', delay: 0 });
}
