import { OmnitronError } from '../errors/omnitron-errors.js';
import type { Logger } from '../foundation/logger.js';

/**
 * Thrown inside an attempt with an undocumented filter when Omnitron's answer shows the filter was
 * ignored: it holds an object that does not match the filter (an order not asked for).
 */
export class FilterIgnored extends Error {
  constructor(what: string) {
    super(`it answered ${what} that do not match the filter`);
    this.name = 'FilterIgnored';
  }
}

/**
 * The list filters the SDK uses that neither of Omnitron's API references documents (`orders/?number__in`,
 * `order_items/?order__in`, `cancellation_requests/?remote_id`, …). A Django filter set may honour such a
 * filter, ignore it, or refuse it, and a server may break on it (a 500, a garbled page, a closed
 * connection). So every use is an attempt with a documented fallback (one key at a time with a documented
 * filter, or the plain list checked here): on ANY failure of the attempt, or an answer that shows the
 * filter ignored, the filter is switched off for this integration (one warning names it and what
 * happened) and the fallback answers, now and on every later call. Only the attempt's failures are caught:
 * one of the fallback is the caller's, as a typed error.
 */
export class UndocumentedFilters {
  readonly #logger: Logger;
  /** The filters switched off, with what happened. */
  readonly #off = new Map<string, string>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Whether `filter` was switched off (so its documented fallback is used straight away). */
  isOff(filter: string): boolean {
    return this.#off.has(filter);
  }

  /**
   * Answers with `attempt` (which uses the undocumented `filter`) unless that filter is off; when the
   * attempt fails (any `OmnitronError`, or {@link FilterIgnored}), switches the filter off and answers
   * with `fallback` instead. A filter is named with its list, as `orders/?number__in`.
   */
  async use<T>(filter: string, attempt: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.isOff(filter)) {
      try {
        return await attempt();
      } catch (error) {
        // Anything else is a bug of the SDK's, not Omnitron's answer: let it through.
        if (!(error instanceof OmnitronError || error instanceof FilterIgnored)) throw error;
        this.switchOff(filter, error);
      }
    }
    return fallback();
  }

  /** Switches `filter` off because of `error`, with one warning. */
  switchOff(filter: string, error: OmnitronError | FilterIgnored): void {
    if (this.#off.has(filter)) return;
    const what = error instanceof FilterIgnored ? error.message : `${error.code}: ${error.message}`;
    this.#off.set(filter, what);
    this.#logger.warn(
      { filter, reason: what },
      `Omnitron ignores or fails the ${filter} filter, which its API references do not document (${what}); using documented requests instead from now on`,
    );
  }
}
