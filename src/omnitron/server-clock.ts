/**
 * Omnitron's clock, as its answers tell it: each answer's `Date` header gives the offset between Omnitron's
 * time and this machine's (`serverDate − localReceiveTime`), and {@link ServerClock.now} is local time plus
 * the latest offset. Until a first answer the offset is 0. The header has a resolution of one second and
 * is stamped before the answer travels, so the offset is good to a second or two: plenty for comparing with
 * Omnitron's `modified_date` over minutes, which two machines' clocks may not be.
 */
export class ServerClock {
  #offset = 0;

  /** Takes Omnitron's time from an answer's headers, received at `receivedAt` (ms, local). */
  observe(headers: Headers, receivedAt = Date.now()): void {
    const date = headers.get('Date');
    if (!date) return;
    const server = Date.parse(date);
    // An unreadable header tells nothing: keep the last offset.
    if (Number.isNaN(server)) return;
    this.#offset = server - receivedAt;
  }

  /** Omnitron's time minus this machine's, in ms, as last seen (0 before any answer). */
  get offset(): number {
    return this.#offset;
  }

  /** Omnitron's current time, by the latest answer. */
  now(): Date {
    return new Date(Date.now() + this.#offset);
  }
}
