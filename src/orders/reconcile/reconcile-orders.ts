import type { ChannelOrder } from '../../dto/channel-order.js';
import type { Order, OrderItem } from '../../dto/order.js';
import { OrderMismatchError } from '../../errors/lookup-errors.js';
import type { AcknowledgedOrder } from '../../integrations/channel-integration.js';
import type { Incoming } from '../channel-port.js';
import type { ReconcileSettings } from '../flow-options.js';
import { acknowledgeOrders } from '../import/acknowledge-orders.js';
import { ImportCache } from '../import/import-cache.js';
import { importOrder, type OrderToLink } from '../import/import-order.js';
import { LOOKUP_CHUNK } from '../import/known-orders.js';
import { batchObject, orderObjects } from '../mappings.js';
import { ordersToSend } from '../orders-to-send.js';
import type { BatchScope, BatchSession } from '../run/batch-scope.js';
import type { FlowDependencies, FlowRun } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { sendOrders } from '../send-orders.js';
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
  const result = await runFlow(deps, spec, options, async (run, session) => {
    const scope = session.current;
    const found = new Findings(run, scope, counts);
    const listed = deps.channel.listedOrders({ ...scope.context, ...window });
    for await (const chunk of chunksOf(listed, LOOKUP_CHUNK)) {
      run.fetched(chunk.length);
      await found.compareChunk(chunk);
    }
    await found.finish(session);
  });
  return { ...result, reconciliation: counts };
}

/** What one run found, order by order, and what it repairs once every chunk is compared. */
class Findings {
  readonly #run: FlowRun;
  readonly #scope: BatchScope;
  readonly #counts: ReconcileCounts;
  readonly #cache: ImportCache;
  readonly #toLink: OrderToLink[] = [];
  readonly #toAcknowledge: AcknowledgedOrder[] = [];
  readonly #toResend: Order[] = [];

  constructor(run: FlowRun, scope: BatchScope, counts: ReconcileCounts) {
    this.#run = run;
    this.#scope = scope;
    this.#counts = counts;
    this.#cache = new ImportCache(run.deps.omnitron, run.deps.lock);
  }

  /** Compares a chunk of listed orders with Omnitron: two requests for the chunk, then each order. */
  async compareChunk(chunk: readonly Incoming<ChannelOrder>[]): Promise<void> {
    const { omnitron } = this.#run.deps;
    const numbers = chunk.flatMap((item) => (item.ok ? [item.data.number] : []));
    const present =
      numbers.length > 0 ? await omnitron.findOrdersByNumbers(numbers) : new Map<string, Order>();
    const units = await omnitron.listOrderItemsOfOrders([...present.values()].map((order) => order.id));
    for (const item of chunk) {
      this.#run.throwIfAborted();
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
    await this.#commitImported();
  }

  /**
   * Commits the orders imported since the last commit, with their items, as the import commits a chunk:
   * Omnitron links them to their marketplace ids when the batch ends `done`, and a long run keeps its batch
   * fresh rather than `initialized` until the end.
   */
  async #commitImported(): Promise<void> {
    if (this.#toLink.length === 0) return;
    const linking = this.#toLink.splice(0);
    const items = await this.#run.deps.omnitron.listOrderItemsOfOrders(linking.map((l) => l.order.id));
    await this.#scope.tracker.commit(
      linking.flatMap(({ order, remoteId, versionKnown }) =>
        orderObjects(order, items.get(order.id) ?? [], remoteId, versionKnown),
      ),
    );
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
      await this.#scope.done('ReconcileOrder', {
        key: item.key,
        remoteId: item.remoteId,
        status: 'unchanged',
        omnitronId: stored.id,
      });
    }
  }

  /** Imports an order Omnitron lacks, as the import does: looked up again and created under its lock. */
  async #import(item: Incoming<ChannelOrder>, listed: ChannelOrder): Promise<void> {
    const attempt = await this.#run.attempt('CreateOrder', item.key, () =>
      importOrder(this.#run, this.#cache, listed),
    );
    if ('error' in attempt) {
      await this.#scope.failed('CreateOrder', {
        key: item.key,
        remoteId: item.remoteId,
        error: attempt.error,
      });
      return;
    }
    const { outcome, link, acknowledge } = attempt.value;
    // Another run may have created it since the chunk was read: then it is present, not imported here.
    if (outcome.status === 'created') this.#counts.imported += 1;
    const subject = { contentType: 'order', objectId: outcome.omnitronId as number } as const;
    await this.#scope.done(
      'CreateOrder',
      { ...outcome, remoteId: item.remoteId },
      `missing from Omnitron: ${outcome.status} as Omnitron order ${subject.objectId}`,
      subject,
    );
    if (link) this.#toLink.push(link);
    this.#toAcknowledge.push(acknowledge);
  }

  /**
   * Ends the batch of the imported orders `done` (Omnitron links them to their marketplace ids then),
   * acknowledges them, then sends the statuses the marketplace is behind on in a batch of their own:
   * an asynchronous answer leaves that batch `sent_to_remote`, which must hold only the orders sent.
   */
  async finish(session: BatchSession): Promise<void> {
    const { omnitron, channel } = this.#run.deps;
    const imported = this.#toResend.length > 0 ? await session.rotate() : await session.finish();
    if (channel.supports('acknowledgeOrders') && imported.tracker.batch.status === 'done')
      await acknowledgeOrders(this.#run, imported, this.#toAcknowledge);
    if (this.#toResend.length === 0) return;

    const resend = await session.open();
    await resend.tracker.commit(this.#toResend.map((order) => batchObject('order', order, null)));
    const toSend = await ordersToSend(omnitron, this.#toResend);
    this.#run.throwIfAborted();
    this.#counts.statusResent = toSend.length;
    await sendOrders(this.#run, resend, toSend, true);
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
