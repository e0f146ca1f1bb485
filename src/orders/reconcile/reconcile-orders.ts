import type { ChannelOrder } from '../../dto/channel-order.js';
import type { Order, OrderItem } from '../../dto/order.js';
import { OrderMismatchError } from '../../errors/lookup-errors.js';
import type { Incoming } from '../channel-port.js';
import { batchObject } from '../common/mappings.js';
import { ordersToSend } from '../common/orders-to-send.js';
import { sendOrders } from '../common/send-orders.js';
import type { ReconcileSettings } from '../flow-options.js';
import { ImportBatch } from '../import/import-batch.js';
import { ImportCache } from '../import/import-cache.js';
import { importOrder } from '../import/import-order.js';
import { LOOKUP_CHUNK } from '../import/known-orders.js';
import { attempt } from '../run/attempt.js';
import type { BatchScope, BatchSession } from '../run/batch-scope.js';
import { type FlowDependencies, type RunContext, throwIfAborted } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import { compareOrder } from './order-differences.js';
import type { ReconcileCounts, ReconcileOrdersResult } from './reconcile-result.js';

/**
 * `reconcileOrders`: compares the marketplace's orders of a time window (`listOrders`) with Omnitron's,
 * a chunk of 50 at a time (one request for the chunk's orders by number, one for their items), and
 * repairs what it safely can:
 * - an order Omnitron lacks is imported through the import's own path (looked up and created under the
 *   lock of its number, so never twice beside a running import), linked, and acknowledged;
 * - a status Omnitron moved on that the marketplace never received is sent again through
 *   `sendUpdatedOrders`, in a second batch request, as `updateOrders` sends it;
 * - any other difference (amounts, lines, a status the marketplace is ahead on) is an `OrderMismatchError`
 *   with an error report naming the order and each difference.
 * The result carries the counts in `reconciliation`.
 */
export async function reconcileOrders(
  deps: FlowDependencies,
  options: ReconcileSettings,
): Promise<ReconcileOrdersResult> {
  const window = { since: options.since, until: options.until };
  const counts: ReconcileCounts = { checked: 0, imported: 0, statusResent: 0, unrepairable: 0 };
  const spec = { flow: 'reconcileOrders', contentType: 'order', requires: ['listOrders'] } as const;
  const result = await runFlow(deps, spec, options, async (context, ledger, session) => {
    const scope = session.current;
    const batch = new ImportBatch(context, ledger, session, {
      commitEvery: Number.POSITIVE_INFINITY,
      batchSize: Number.POSITIVE_INFINITY,
      acknowledge: context.channel.supports('acknowledgeOrders'),
    });
    const found = new Findings(context, scope, batch, counts);
    const listed = context.channel.listedOrders({ ...scope.context, ...window });
    for await (const chunk of chunksOf(listed, LOOKUP_CHUNK)) {
      ledger.fetched(chunk.length);
      await found.compareChunk(chunk);
    }
    await found.finish(session);
  });
  return { ...result, reconciliation: counts };
}

/** What one run found, order by order, and what it repairs once every chunk is compared. */
class Findings {
  readonly #context: RunContext;
  readonly #scope: BatchScope;
  readonly #counts: ReconcileCounts;
  readonly #cache: ImportCache;
  /** Where the orders it imports go: committed a chunk at a time, linked and acknowledged on `done`. */
  readonly #batch: ImportBatch;
  readonly #toResend: Order[] = [];

  constructor(context: RunContext, scope: BatchScope, batch: ImportBatch, counts: ReconcileCounts) {
    this.#context = context;
    this.#scope = scope;
    this.#batch = batch;
    this.#counts = counts;
    this.#cache = new ImportCache(context.omnitron, context.lock);
  }

  /** Compares a chunk of listed orders with Omnitron: two requests for the chunk, then each order. */
  async compareChunk(chunk: readonly Incoming<ChannelOrder>[]): Promise<void> {
    const { omnitron } = this.#context;
    const numbers = chunk.flatMap((item) => (item.ok ? [item.data.number] : []));
    const present =
      numbers.length > 0 ? await omnitron.findOrdersByNumbers(numbers) : new Map<string, Order>();
    const units = await omnitron.listOrderItemsOfOrders([...present.values()].map((order) => order.id));
    for (const item of chunk) {
      throwIfAborted(this.#context);
      await this.#scope.forward('ListOrders', item.key, item.reports);
      if (!item.ok) {
        await this.#scope.failed('ListOrders', item);
        continue;
      }
      this.#counts.checked += 1;
      const stored = present.get(item.data.number);
      if (stored) await this.#compare(item, item.data, stored, units.get(stored.id) ?? []);
      else await this.#import(item, item.data);
    }
    // Committed as the import commits a chunk: a long run keeps its batch fresh, not `initialized` to the end.
    await this.#batch.commit();
  }

  /** Files one order Omnitron has: alike, behind on the marketplace (to send again), or unrepairable. */
  async #compare(
    item: Incoming<ChannelOrder>,
    listed: ChannelOrder,
    stored: Order,
    units: readonly OrderItem[],
  ): Promise<void> {
    const differences = compareOrder(listed, stored, units);
    const subject = { contentType: 'order', objectId: stored.id } as const;
    if (differences.unrepairable.length > 0) {
      // Statuses to send again are named too: they wait until the rest is settled by hand.
      const all = [...differences.unrepairable, ...differences.marketplaceBehind];
      this.#counts.unrepairable += 1;
      await this.#scope.failed('ReconcileOrder', {
        key: item.key,
        remoteId: item.remoteId,
        error: new OrderMismatchError(listed.number, all),
        subject,
      });
    } else if (differences.marketplaceBehind.length > 0) {
      this.#toResend.push(stored);
    } else {
      await this.#scope.succeeded('ReconcileOrder', {
        key: item.key,
        remoteId: item.remoteId,
        status: 'unchanged',
        omnitronId: stored.id,
      });
    }
  }

  /** Imports an order Omnitron lacks, as the import does: looked up again and created under its lock. */
  async #import(item: Incoming<ChannelOrder>, listed: ChannelOrder): Promise<void> {
    const tried = await attempt(this.#context, 'CreateOrder', item.key, () =>
      importOrder(this.#context, this.#cache, listed),
    );
    if ('error' in tried) {
      await this.#scope.failed('CreateOrder', {
        key: item.key,
        remoteId: item.remoteId,
        error: tried.error,
      });
      return;
    }
    // Another run may have created it since the chunk was read: then it is present, not imported here.
    if (tried.value.outcome.status === 'created') this.#counts.imported += 1;
    await this.#batch.imported(this.#scope, tried.value, item.remoteId, 'missing from Omnitron: ');
  }

  /**
   * Ends the batch of the imported orders `done` (Omnitron links them to their marketplace ids then),
   * acknowledges them, then sends the statuses the marketplace is behind on in a batch of their own:
   * an asynchronous answer leaves that batch `sent_to_remote`, which must hold only the orders sent.
   */
  async finish(session: BatchSession): Promise<void> {
    const { omnitron } = this.#context;
    if (this.#toResend.length === 0) {
      await this.#batch.finish();
      return;
    }
    await this.#batch.rotate();

    // Made while the import batch finishes; committed only after it, as no two batches commit at once.
    const resend = await session.open();
    await session.settled();
    await resend.tracker.commit(this.#toResend.map((order) => batchObject('order', order, null)));
    const toSend = await ordersToSend(omnitron, this.#toResend);
    throwIfAborted(this.#context);
    this.#counts.statusResent = toSend.length;
    await sendOrders(this.#context, resend, toSend, true);
  }
}

/** The items of a stream in chunks of `size` (the last may be shorter). */
async function* chunksOf<T>(stream: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of stream) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
