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
  /** Whether the request is over ({@link Deadline.dispose}). */
  #over = false;

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

  /** Whether the deadline passed or the request is over: nothing more is sent for it. */
  get over(): boolean {
    return this.#over || this.expired;
  }

  /**
   * Throws if nothing more may be sent for the request: its deadline passed (the deadline's reason), or it
   * is over (a retry ky would still make after the request failed at its deadline sends nothing).
   */
  throwIfOver(): void {
    this.signal.throwIfAborted();
    if (this.#over) throw OVER;
  }

  /**
   * Stops the timer once the request is over. The signal is left as it is: aborting it would dispatch an
   * event per request, and nothing listens to it by then (every listener goes when its wait ends).
   */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#over = true;
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
 * What a late attempt of a request that is over throws; nobody waits for it any more. One for all, so it
 * costs no error (and stack trace) of its own.
 */
const OVER = Object.freeze(new (class RequestOver extends Error {})('the request is over'));

/**
 * The default deadline: as long as the retry policy may take when every attempt times out and every wait is
 * at its longest (150 000 ms with the default `timeout` and `retry`), so that it never cuts retries the
 * `retry` option allows but still ends a request that would otherwise never end.
 */
export function defaultDeadline(timeout: number, retry: { limit: number; backoffLimit: number }): number {
  return timeout * (retry.limit + 1) + retry.backoffLimit * retry.limit;
}
