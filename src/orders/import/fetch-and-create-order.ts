import pMap from 'p-map';
import type { ChannelOrder } from '../../dto/channel-order.js';
import { CreateFateUnknownError } from '../../errors/omnitron-errors.js';
import type { ChannelCallContext } from '../../integrations/channel-integration.js';
import type { Incoming } from '../channel-port.js';
import type { FlowName } from '../flow-names.js';
import type { ImportSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { FlowDependencies } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import type { RunLedger } from '../run/run-ledger.js';
import { type Worked, workInOrder, workOne } from '../run/work-in-order.js';
import type { ImportedOrder } from './existing-order.js';
import { ImportBatch } from './import-batch.js';
import { ImportCache } from './import-cache.js';
import { importOrder } from './import-order.js';
import { KnownOrders } from './known-orders.js';
import { ParkedOrders } from './parked-orders.js';

/**
 * `fetchAndCreateOrder`: reads new orders from the marketplace (`getOrders`) and puts each into Omnitron
 * (see {@link importOrders}); orders Omnitron confirmed are acknowledged on the marketplace.
 */
export function fetchAndCreateOrder(deps: FlowDependencies, options: ImportSettings): Promise<FlowResult> {
  return importOrders(deps, 'fetchAndCreateOrder', (call) => deps.channel.orders(call), {
    ...options,
    acknowledge: deps.channel.supports('acknowledgeOrders'),
  });
}

/**
 * Imports a stream of orders, `concurrency` at a time, each looked up a chunk at a time first (see
 * {@link KnownOrders}), then created or re-linked ({@link importOrder}). In input order, each order's
 * outcome is reported and recorded and the order handed to its {@link ImportBatch}, which commits every
 * `commitEvery` orders and, every `batchSize` orders, ends the batch `done` (which links its orders and
 * items to their marketplace ids), acknowledges its orders, and starts a new one.
 *
 * A full batch finishes in the background: its items read, commit, `done` and acknowledgement (three
 * Omnitron requests and a marketplace call, one after another) overlap the next chunk's orders, which go
 * to the next batch, created when the first of them is handled (never at the end of a run). One finish
 * at a time, and every commit waits for it, so no two batches of the run are in `commit` at once; a finish
 * that fails closes its batch `fail` and fails the run at its next order. Outcomes, counts, batches and
 * acknowledgements are those of a run whose batches finish one after another.
 *
 * By default a batch holds one commit (`batchSize` = `commitEvery` = 50), so orders are acknowledged as
 * soon as the chunk that holds them is committed and closed. Not earlier, at the commit itself: Omnitron
 * links orders to marketplace ids on `done` (its API reference does not say commit does), and an order
 * acknowledged but never linked would never be offered again to be linked. Small batches also keep
 * Omnitron's commit lock for orders held only for an instant, so a process killed at a random moment
 * rarely leaves a batch in `commit` that blocks the next run.
 */
export function importOrders(
  deps: FlowDependencies,
  flow: Extract<FlowName, 'fetchAndCreateOrder' | 'createOrder'>,
  read: (context: ChannelCallContext) => AsyncIterable<Incoming<ChannelOrder>>,
  options: ImportSettings & { acknowledge: boolean; cache?: ImportCache },
): Promise<FlowResult> {
  const { concurrency } = options;
  const requires = flow === 'fetchAndCreateOrder' ? (['getOrders'] as const) : [];

  return runFlow(
    deps,
    { flow, contentType: 'order', requires },
    options,
    async (context, ledger, session) => {
      const cache = options.cache ?? new ImportCache(context.omnitron, context.lock);
      const known = new KnownOrders(context);
      const orders = known.lookAhead(counted(ledger, read(session.current.context)));
      const batch = new ImportBatch(context, ledger, session, options);

      // An order whose create had an unknown fate comes back parked instead of waiting in its slot; it is
      // imported again (looked up first) before a later commit.
      const parked = new ParkedOrders<Incoming<ChannelOrder> & { ok: true }>();
      // With `defer`, a create whose fate is unknown comes back as its `CreateFateUnknownError`, to park.
      const importing =
        (defer: boolean, chunk?: KnownOrders) =>
        async (order: ChannelOrder): Promise<ImportedOrder | CreateFateUnknownError> => {
          try {
            return await importOrder(context, cache, order, chunk, { deferUnknown: defer });
          } catch (error) {
            if (defer && error instanceof CreateFateUnknownError) return error;
            throw error;
          }
        };
      // Parks an order whose create had an unknown fate, or records its outcome.
      const handle = async (
        scope: BatchScope,
        order: Worked<ChannelOrder, ImportedOrder | CreateFateUnknownError>,
      ) => {
        if (!order.ok) {
          await scope.failed(order.invalid ? 'GetOrders' : 'CreateOrder', order);
        } else if (order.value instanceof CreateFateUnknownError) {
          // Its reports were forwarded already: the retry must not send them again.
          const { value: reason, ...item } = order;
          context.logger.info(
            { flow: context.flow, key: order.key, what: reason.what, until: new Date(reason.settleUntil) },
            'order parked: a create may still be on its way; it is looked up again before a later commit',
          );
          parked.park({ ...item, reports: [] }, reason);
        } else {
          await batch.imported(scope, order.value, order.remoteId);
        }
      };
      // Parked orders whose create should have settled are imported again (looked up first) before a chunk
      // commits, and committed with it; one whose retry loses an answer again is parked again. The last
      // commit waits for every one, and tries it without parking.
      const settleParked = async (last: boolean) => {
        if (parked.size === 0) return;
        const scope = await batch.next();
        const retry = last ? await parked.takeAll(context.signal) : parked.takeSettled();
        const retried = await pMap(retry, (item) => workOne(context, 'CreateOrder', item, importing(!last)), {
          concurrency,
        });
        for (const order of retried) await handle(scope, order);
      };

      for await (const order of workInOrder(
        context,
        orders,
        'CreateOrder',
        importing(true, known),
        concurrency,
      )) {
        const scope = batch.current ?? (await batch.next());
        await scope.forward('GetOrders', order.key, order.reports);
        await handle(scope, order);
        batch.handled();
        if (batch.commitDue) {
          await settleParked(false);
          // A full batch commits as it finishes, in the background; the next orders go on meanwhile.
          if (batch.full) await batch.rotate();
          else await batch.commit();
        }
      }
      await settleParked(true);
      await batch.finish();
    },
  );
}

/** Counts each order read from the marketplace, as it is read. */
async function* counted<T>(ledger: RunLedger, stream: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of stream) {
    ledger.fetched();
    yield item;
  }
}
