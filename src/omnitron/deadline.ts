/**
 * The overall time one Omnitron request may take: the wait for headers, the body, every retry and every wait
 * between retries, a fresh login after a refused token. ky's own `timeout` covers the wait for headers of
 * one attempt only, so a server that sends headers and then one byte now and then would hold a request
 * (and the run around it) for good without this.
 */
export class Deadline {
  /** The deadline, in ms from the start. */
  readonly ms: number;
  /** Aborted when the deadline passes; handed to `fetch`, which then stops reading the body too. */
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #endsAt: number;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(ms: number) {
    // setTimeout fires at once for anything above 2^31 - 1 ms (about 24.8 days): clamp, never overflow.
    this.ms = Math.min(ms, MAX_TIMER_MS);
    this.signal = this.#controller.signal;
    this.#endsAt = Date.now() + this.ms;
    this.#timer = setTimeout(() => this.#controller.abort(new DeadlinePassed(this.ms)), this.ms);
  }

  /** Whether the deadline has passed. */
  get expired(): boolean {
    return this.signal.aborted && this.signal.reason instanceof DeadlinePassed;
  }

  /** What is left of it, in ms (0 once it has passed). */
  remaining(): number {
    return this.expired ? 0 : Math.max(0, this.#endsAt - Date.now());
  }

  /**
   * Waits for `promise`, but no longer than the deadline: a `fetch` given to the SDK that ignores its
   * signal, or a token store that hangs, must not outlive it either.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * Stops the timer once the request is over, and aborts the signal (with a reason of its own, so
   * {@link Deadline.expired} stays false): everything `fetch` and ky hung on it (listeners of the request's
   * own signals, entries of undici's finalization registry) is let go now. Left to a full collection, each
   * request's objects are held through the scavenges that would free them (V8 treats their weak
   * references as strong there) and pile up in the old space: about half of an import's peak memory.
   */
  dispose(): void {
    clearTimeout(this.#timer);
    if (!this.signal.aborted) this.#controller.abort(DISPOSED);
  }
}

/** The longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The abort reason of a passed deadline; always turned into an `OmnitronNetworkError` before it escapes. */
class DeadlinePassed extends Error {
  constructor(ms: number) {
    super(`the deadline of ${ms} ms passed`);
    this.name = 'DeadlinePassed';
  }
}

/**
 * The abort reason once a deadline is disposed of: the request is over and nothing waits for it. One for
 * all, so a request's end costs no error (and stack trace) of its own.
 */
const DISPOSED = Object.freeze(new (class DeadlineDisposed extends Error {})('the request is over'));

/**
 * The default deadline: as long as the retry policy may take when every attempt times out and every wait is
 * at its longest (150 000 ms with the default `timeout` and `retry`), so that it never cuts retries the
 * `retry` option allows but still ends a request that would otherwise never end.
 */
export function defaultDeadline(timeout: number, retry: { limit: number; backoffLimit: number }): number {
  return timeout * (retry.limit + 1) + retry.backoffLimit * retry.limit;
}
