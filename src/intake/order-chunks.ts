import type { ChannelOrderInput } from '../dto/channel-order.js';
import { RemoteId } from '../dto/common.js';
import type { FlowResult, ItemOutcome } from '../orders/flow-result.js';

/** How {@link OrderChunks} gathers orders. */
export interface ChunkSettings {
  /** At most this many orders per run. */
  size: number;
  /** How long the first order of a chunk waits for others before the run starts (ms). */
  window: number;
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
 * its first order waited `window` ms; one chunk runs at a time, the next gathers meanwhile, so a busier
 * queue makes bigger chunks rather than more runs.
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
  #running = false;
  /** The window of the waiting orders ran out while a chunk was running: the next starts right after. */
  #due = false;

  constructor(settings: ChunkSettings, run: ChunkImport) {
    this.#settings = settings;
    this.#import = run;
  }

  /** Adds an order to the next chunk; settles with its outcome once its chunk's run ended. */
  add(order: ChannelOrderInput): Promise<ItemOutcome> {
    return new Promise<ItemOutcome>((resolve, reject) => {
      this.#waiting.push({ remoteId: remoteIdOf(order), order, resolve, reject });
      if (this.#waiting.length >= this.#settings.size) this.#start();
      else this.#timer ??= setTimeout(() => this.#windowOver(), this.#settings.window);
    });
  }

  #windowOver(): void {
    this.#timer = undefined;
    this.#start();
  }

  /** Starts a chunk, or marks one due when a run is going (one at a time per channel). */
  #start(): void {
    if (this.#running) {
      this.#due = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = false;
    const chunk = this.#take();
    if (chunk.length === 0) return;
    this.#running = true;
    void this.#run(chunk).finally(() => {
      this.#running = false;
      if (this.#due || this.#waiting.length >= this.#settings.size) this.#start();
      else if (this.#waiting.length > 0)
        this.#timer ??= setTimeout(() => this.#windowOver(), this.#settings.window);
    });
  }

  /**
   * Takes up to `size` waiting orders. A second order with the same marketplace id (a different job for
   * the same order) stays for the next chunk, so each outcome names exactly one job.
   */
  #take(): Waiting[] {
    const chunk: Waiting[] = [];
    const rest: Waiting[] = [];
    const ids = new Set<string | undefined>();
    for (const entry of this.#waiting) {
      if (chunk.length < this.#settings.size && !ids.has(entry.remoteId)) {
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
