import type { ChannelOrderInput } from '../dto/channel-order.js';
import { RemoteId } from '../dto/common.js';
import type { FlowResult, ItemOutcome } from '../orders/flow-result.js';

/** How {@link OrderChunks} gathers orders. */
export interface ChunkSettings {
  /** At most this many orders per run. */
  size: number;
  /** How long the first order of a chunk waits for others before the run starts (ms). */
  window: number;
  /** At most this many runs at once; the next chunk gathers meanwhile. */
  inFlight: number;
}

/** Imports the orders of one chunk in one run. */
export type ChunkImport = (orders: readonly ChannelOrderInput[]) => Promise<FlowResult>;

interface Waiting {
  /** The order's marketplace id as the flow names its outcome (`undefined` when it has none to read). */
  remoteId: string | undefined;
  order: ChannelOrderInput;
  resolve: (outcome: ItemOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the orders of one channel's webhook jobs into chunks and imports each chunk in one run of
 * `createOrders`: one batch request, one look-up of the chunk's numbers and one commit for all of them,
 * instead of a run (and about fourteen requests) per order. A chunk starts once it holds `size` orders or
 * its first order waited `window` ms; the very first run starts at once, since it carries the cold start
 * (logging in, the channel check, the stale sweep, the first look-ups). Up to `inFlight` chunks run at
 * once: a slow run (the first ones of a worker create every customer and address) does not hold back the
 * orders that came meanwhile, which start in a chunk of their own once their window is over. The window,
 * not the runs, paces the chunks, so a busier queue makes bigger chunks rather than more runs.
 *
 * Two jobs of one order (one marketplace id) are never in the same run, nor in two runs at once: the
 * later waits for the earlier's run to end, so the import sees them one after the other, as it would
 * one at a time.
 *
 * Each order's promise settles when the run ended, that is once its batch request is `done` and the order
 * linked to its marketplace id: only then may its job complete. A run that throws rejects every order of
 * its chunk (their jobs are retried); an order the run reports no outcome for is rejected alone.
 */
export class OrderChunks {
  readonly #settings: ChunkSettings;
  readonly #import: ChunkImport;
  #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Runs going now. */
  #running = 0;
  /** Whether a run was ever started. */
  #started = false;
  /** The marketplace ids of the orders in the runs going now (each in one run at most, see `#take`). */
  readonly #runningIds = new Set<string | undefined>();
  /** The window of the waiting orders ran out while every run slot was taken: one starts when a run ends. */
  #due = false;

  constructor(settings: ChunkSettings, run: ChunkImport) {
    this.#settings = settings;
    this.#import = run;
  }

  /** Adds an order to the next chunk; settles with its outcome once its chunk's run ended. */
  add(order: ChannelOrderInput): Promise<ItemOutcome> {
    return new Promise<ItemOutcome>((resolve, reject) => {
      this.#waiting.push({ remoteId: remoteIdOf(order), order, resolve, reject });
      this.#start(false);
    });
  }

  /**
   * Starts chunks while a run slot is free and there is a full chunk or the waiting orders' window is
   * over (`windowOver`, or `#due` from a window that ended while every slot was taken). What stays waits
   * for a slot (when its window is over), or for its window.
   */
  #start(windowOver: boolean): void {
    const { size, inFlight, window } = this.#settings;
    // The first run starts at once: it carries the cold start (logging in, the channel check, the stale
    // sweep, the first look-ups), which the chunk gathering meanwhile then finds done.
    let due = windowOver || this.#due || !this.#started;
    this.#due = false;
    while (this.#running < inFlight && (due || this.#waiting.length >= size)) {
      const chunk = this.#take();
      // Every waiting order has a job in a running chunk: the end of that run starts them.
      if (chunk.length === 0) break;
      this.#launch(chunk);
      // The rest arrived after this chunk's first order: it gathers for a window of its own.
      clearTimeout(this.#timer);
      this.#timer = undefined;
      due = false;
    }
    if (this.#waiting.length === 0) return;
    if (due) this.#due = true;
    else
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#start(true);
      }, window);
  }

  /** Runs a chunk in a slot of its own; its end frees the slot and its orders' ids, and starts what is due. */
  #launch(chunk: Waiting[]): void {
    this.#started = true;
    this.#running += 1;
    for (const { remoteId } of chunk) this.#runningIds.add(remoteId);
    void this.#run(chunk).finally(() => {
      this.#running -= 1;
      for (const { remoteId } of chunk) this.#runningIds.delete(remoteId);
      this.#start(false);
    });
  }

  /**
   * Takes up to `size` waiting orders. An order whose marketplace id is already in the chunk (a different
   * job for the same order) or in a running one stays for a later chunk, so each outcome names exactly one
   * job and the jobs of one order run one after the other.
   */
  #take(): Waiting[] {
    const chunk: Waiting[] = [];
    const rest: Waiting[] = [];
    const ids = new Set<string | undefined>();
    for (const entry of this.#waiting) {
      if (
        chunk.length < this.#settings.size &&
        !ids.has(entry.remoteId) &&
        !this.#runningIds.has(entry.remoteId)
      ) {
        chunk.push(entry);
        ids.add(entry.remoteId);
      } else rest.push(entry);
    }
    this.#waiting = rest;
    return chunk;
  }

  async #run(chunk: Waiting[]): Promise<void> {
    let result: FlowResult;
    try {
      result = await this.#import(chunk.map((entry) => entry.order));
    } catch (error) {
      for (const entry of chunk) entry.reject(error);
      return;
    }
    const byRemoteId = new Map<string | undefined, ItemOutcome>();
    for (const item of result.items) byRemoteId.set(item.remoteId, item);
    for (const entry of chunk) {
      const outcome = byRemoteId.get(entry.remoteId);
      if (outcome) entry.resolve(outcome);
      else entry.reject(new Error('the order import reported no outcome for this order'));
    }
  }
}

/** The order's marketplace id as the import reads it (trimmed by the same schema), when it has one. */
function remoteIdOf(order: ChannelOrderInput): string | undefined {
  const parsed = RemoteId.safeParse((order as { remoteId?: unknown } | null)?.remoteId);
  return parsed.success ? parsed.data : undefined;
}
