/**
 * Runs work for a stream of items with at most `limit` items in flight, and finishes each item (records
 * its outcome, commits its objects) strictly in the order the items came. So a flow's result, reports and
 * batch objects are the same at any concurrency; only the waiting overlaps.
 *
 * A failure of the work or of a finish stops the pool: later `submit` calls throw it, and `drain` waits for
 * what is in flight and then throws it.
 */
export class OrderedPool {
  readonly #limit: number;
  readonly #inFlight = new Set<Promise<void>>();
  #tail: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /**
   * Starts `work` once a slot is free; the finish it returns runs after every earlier item's finish.
   * Resolves as soon as the work has started.
   */
  async submit(work: () => Promise<(() => Promise<void>) | undefined>): Promise<void> {
    this.#throwIfFailed();
    while (this.#inFlight.size >= this.#limit) {
      await Promise.race(this.#inFlight);
      this.#throwIfFailed();
    }
    const started = work();
    const previous = this.#tail;
    const task = (async () => {
      let finish: (() => Promise<void>) | undefined;
      try {
        finish = await started;
      } catch (error) {
        this.#fail(error);
      }
      await previous;
      if (finish && !this.#failure) {
        try {
          await finish();
        } catch (error) {
          this.#fail(error);
        }
      }
    })();
    this.#tail = task;
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task));
  }

  /** Waits for every item in flight; throws the pool's failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
    await this.#tail;
    this.#throwIfFailed();
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
