import { OmnitronError } from '../errors/omnitron-errors.js';

/**
 * Whether Omnitron is known to have received and carried out the request behind `error`: it answered
 * with a 2xx status, but the SDK could not read, parse or validate the body (a cut-off answer, a missing
 * field, a body over the size cap). A create that failed this way was done by the server, so it must never
 * be sent again; look it up instead, or report it.
 */
export function wasDelivered(error: unknown): boolean {
  return error instanceof OmnitronError && error.delivered;
}
