import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';

/** The same error is logged at most once in this long, with how often it recurred in between. */
const LOG_EVERY = 10_000;

/**
 * Logs Redis and BullMQ errors at `error`, redacted. A Redis that is down makes ioredis emit the same error
 * on every reconnection attempt: each message is logged at most once per {@link LOG_EVERY} ms, with how
 * many times it recurred since, so the log shows the outage without drowning in it.
 */
export class ThrottledErrorLog {
  readonly #logger: Logger;
  readonly #redactor: SecretRedactor;
  readonly #logged = new Map<string, { at: number; repeated: number }>();

  constructor(logger: Logger, redactor: SecretRedactor) {
    this.#logger = logger;
    this.#redactor = redactor;
  }

  /** Logs `message` with the error's redacted text, unless the same was logged within the last interval. */
  log(message: string, error: unknown): void {
    const text = this.#redactor.redactText(error instanceof Error ? error.message : String(error));
    const key = `${message}\n${text}`;
    const now = Date.now();
    const seen = this.#logged.get(key);
    if (seen && now - seen.at < LOG_EVERY) {
      seen.repeated += 1;
      return;
    }
    this.#logged.set(key, { at: now, repeated: 0 });
    this.#logger.error({ error: text, ...(seen?.repeated ? { repeated: seen.repeated } : {}) }, message);
  }
}
