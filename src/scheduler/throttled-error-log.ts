import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';

/** The same error is logged at most once in this long, with how often it recurred in between. */
const LOG_EVERY = 10_000;

/**
 * BullMQ's error for a job whose key is gone when the worker records how it ended: it was removed from
 * Redis while it ran (a Redis restarted without its data, a queue cleaned by hand). The run itself is over
 * and nothing is left to do, so it is a warning, not an error an on-call engineer must act on.
 */
const JOB_GONE = /^Missing key for job /;

/**
 * Logs Redis and BullMQ errors at `error`, redacted. A Redis that is down makes ioredis emit the same error
 * on every reconnection attempt: each message is logged at most once per {@link LOG_EVERY} ms, with how
 * many times it recurred since, so the log shows the outage without drowning in it. A job removed from
 * Redis while it ran is logged at `warn` (see {@link JOB_GONE}).
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
    const fields = { error: text, ...(seen?.repeated ? { repeated: seen.repeated } : {}) };
    if (JOB_GONE.test(text))
      this.#logger.warn(fields, `${message}: the job was removed from Redis while it ran; its run is over`);
    else this.#logger.error(fields, message);
  }
}
