import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import { orderObjects } from '../common/mappings.js';
import type { BatchScope, BatchSession } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';
import type { RunLedger } from '../run/run-ledger.js';
import { acknowledgeOrders } from './acknowledge-orders.js';
import type { ImportedOrder, OrderToLink } from './existing-order.js';

/** When an import commits and rotates its batch requests, and whether it acknowledges orders. */
export interface ImportBatchSettings {
  /** Commit once this many orders wait to be linked. */
  commitEvery: number;
  /** End the batch `done` and start a new one after this many orders (failed ones included). */
  batchSize: number;
  /** Tell the marketplace which orders Omnitron confirmed (`acknowledgeOrders`). */
  acknowledge: boolean;
}

/**
 * The batch requests of one import, as orders go into them. It owns what a batch owes its orders:
 * - **commit**: the orders imported since the last commit, with their items (one request for the whole
 *   chunk), go to the batch as objects to link to their marketplace ids;
 * - **rotation**: every `batchSize` orders the batch is finished (its last commit, then `done`: Omnitron
 *   links its objects then) and the next is created when an order needs it;
 * - **acknowledgement**: once a batch is `done`, its orders are acknowledged on the marketplace. Not
 *   earlier: an order acknowledged but never linked would never be offered again to be linked.
 *
 * A rotated batch finishes in the background (see {@link BatchSession.rotate}): its items read, commit,
 * `done` and acknowledgement (three Omnitron requests and a marketplace call, one after another) overlap
 * the next chunk's orders instead of holding them up. One finish at a time, and every commit waits for
 * the one running, so no two batches of the run are in `commit` at once. A finish that fails closes its
 * batch `fail`, and the import fails with its error at its next order (or its end).
 * The import decides nothing of this itself; it hands each order over and asks whether a commit is due.
 */
export class ImportBatch {
  readonly #context: RunContext;
  readonly #ledger: RunLedger;
  readonly #session: BatchSession;
  readonly #settings: ImportBatchSettings;
  /** Orders imported but not committed yet. */
  #toLink: OrderToLink[] = [];
  /** Orders imported since the last commit, linked ones included. */
  #uncommitted = 0;
  /** Orders handed to the current batch, failed ones included. */
  #inBatch = 0;
  /** Orders to acknowledge once the current batch is `done`. */
  #toAcknowledge: AcknowledgedOrder[] = [];

  constructor(context: RunContext, ledger: RunLedger, session: BatchSession, settings: ImportBatchSettings) {
    this.#context = context;
    this.#ledger = ledger;
    this.#session = session;
    this.#settings = settings;
  }

  /**
   * The batch request orders go to now, or `null` after a rotation until {@link ImportBatch.next}; throws
   * the error a background finish failed with. Read without an await on purpose: while the batch is open,
   * handling an order must not let the next one start first (at concurrency 1 an abort stops between two
   * orders).
   */
  get current(): BatchScope | null {
    this.#session.throwIfFailed();
    return this.#session.isOpen ? this.#session.current : null;
  }

  /**
   * The batch request orders go to now: after a rotation, a new one, created here while the rotated one
   * may still be finishing (only once an order is there to go into it).
   */
  next(): Promise<BatchScope> {
    return this.#session.open();
  }

  /**
   * Records an imported (or found) order's success in `scope`, and keeps what its batch owes it: the link
   * to its marketplace id at the next commit, and the acknowledgement once the batch is `done`.
   */
  async imported(
    scope: BatchScope,
    order: ImportedOrder,
    remoteId: string | undefined,
    note = '',
  ): Promise<void> {
    const { outcome, link, acknowledge } = order;
    const subject = { contentType: 'order', objectId: outcome.omnitronId as number } as const;
    await scope.succeeded(
      'CreateOrder',
      { ...outcome, remoteId },
      `${note}${outcome.status} as Omnitron order ${subject.objectId}`,
      subject,
    );
    if (link) this.#toLink.push(link);
    this.#uncommitted += 1;
    this.#toAcknowledge.push(acknowledge);
  }

  /** Counts an order handed to the current batch, whatever became of it. */
  handled(): void {
    this.#inBatch += 1;
  }

  /** Whether enough orders wait for a commit, or the batch is full. */
  get commitDue(): boolean {
    return this.#uncommitted >= this.#settings.commitEvery || this.#inBatch >= this.#settings.batchSize;
  }

  /** Whether the batch holds `batchSize` orders and must be rotated before the next order. */
  get full(): boolean {
    return this.#inBatch >= this.#settings.batchSize;
  }

  /**
   * Commits the orders imported since the last commit, with their items (one request for the chunk), once
   * the batch finishing in the background (if any) is done.
   */
  async commit(): Promise<void> {
    await this.#session.settled();
    await this.#commit(this.#session.current, this.#takeToLink());
  }

  /**
   * Rotates the batch out: its last commit, `done` and acknowledgement run in the background while the next
   * orders go to the next batch (see {@link BatchSession.rotate}). Returns once the finish has started,
   * after the one before it ended.
   */
  async rotate(): Promise<void> {
    this.#inBatch = 0;
    const linking = this.#takeToLink();
    const confirmed = this.#takeToAcknowledge();
    await this.#session.rotate((scope) => this.#finish(scope, linking, confirmed));
  }

  /**
   * Waits for a batch finishing in the background, then commits what is left, ends the batch `done` and
   * acknowledges its orders.
   */
  async finish(): Promise<void> {
    await this.#session.settled();
    await this.#finish(this.#session.current, this.#takeToLink(), this.#takeToAcknowledge());
  }

  /** What a batch owes its orders at its end: their last commit, `done`, then their acknowledgement. */
  async #finish(scope: BatchScope, linking: OrderToLink[], confirmed: AcknowledgedOrder[]): Promise<void> {
    await this.#commit(scope, linking);
    await scope.end();
    if (this.#settings.acknowledge && scope.tracker.batch.status === 'done')
      this.#ledger.acknowledged(await acknowledgeOrders(this.#context, scope, confirmed));
  }

  /** Commits orders to `scope`'s batch with their items, read for the whole chunk in one request. */
  async #commit(scope: BatchScope, linking: OrderToLink[]): Promise<void> {
    const items =
      linking.length > 0
        ? await this.#context.omnitron.listOrderItemsOfOrders(linking.map((l) => l.order.id))
        : null;
    const objects = linking.flatMap(({ order, remoteId, versionKnown }) =>
      orderObjects(order, items?.get(order.id) ?? [], remoteId, versionKnown),
    );
    await scope.tracker.commit(objects);
  }

  /** The orders waiting for a commit, handed over (the next commit starts from none). */
  #takeToLink(): OrderToLink[] {
    const linking = this.#toLink;
    this.#toLink = [];
    this.#uncommitted = 0;
    return linking;
  }

  /** The orders waiting for the current batch's `done`, handed over to it. */
  #takeToAcknowledge(): AcknowledgedOrder[] {
    const confirmed = this.#toAcknowledge;
    this.#toAcknowledge = [];
    return confirmed;
  }
}
