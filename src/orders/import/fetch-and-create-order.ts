import pMap from 'p-map';
import type { ChannelOrder } from '../../dto/channel-order.js';
import { CreateFateUnknownError } from '../../errors/omnitron-errors.js';
import type { AcknowledgedOrder, ChannelCallContext } from '../../integrations/channel-integration.js';
import type { Incoming } from '../channel-port.js';
import type { FlowName } from '../flow-names.js';
import type { ImportSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { orderObjects } from '../mappings.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { type Worked, workInOrder, workOne } from '../run/work-in-order.js';
import { acknowledgeOrders } from './acknowledge-orders.js';
import { ImportCache } from './import-cache.js';
import { type ImportedOrder, importOrder, type OrderToLink } from './import-order.js';
import { KnownOrders } from './known-orders.js';
import { ParkedOrders } from './parked-orders.js';

/**
 * `fetchAndCreateOrder`: reads new orders from the marketplace (`getOrders`) and puts each into Omnitron
 * (see {@link importOrders}); orders Omnitron confirmed are acknowledged on the marketplace.
 */
export function fetchAndCreateOrder(deps: FlowDependencies, options: ImportSettings): Promise<FlowResult> {
  return importOrders(deps, 'fetchAndCreateOrder', (context) => deps.channel.orders(context), {
    ...options,
    acknowledge: deps.channel.supports('acknowledgeOrders'),
  });
}

/**
 * Imports a stream of orders, `concurrency` at a time, each looked up a chunk at a time first (see
 * {@link KnownOrders}), then created or re-linked ({@link importOrder}). In input order, each order's
 * outcome is reported and recorded, and its objects committed to the batch request every `commitEvery`
 * orders; every `batchSize` orders the batch ends `done` (which links its orders and items to their
 * marketplace ids), its orders are acknowledged, and a new batch starts.
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
  const { commitEvery, batchSize, concurrency } = options;
  const requires = flow === 'fetchAndCreateOrder' ? (['getOrders'] as const) : [];

  return runFlow(deps, { flow, contentType: 'order', requires }, options, async (run, session) => {
    const cache = options.cache ?? new ImportCache(deps.omnitron, deps.lock);
    const known = new KnownOrders(run);
    const orders = known.lookAhead(read(session.current.context));
    // What the current batch request holds: orders not committed yet (to link, with their items, to their
    // marketplace ids), and orders to acknowledge once it is done.
    let toLink: OrderToLink[] = [];
    let uncommittedOrders = 0;
    let inBatch = 0;
    let toAcknowledge: AcknowledgedOrder[] = [];
    const commit = async () => {
      const linking = toLink;
      toLink = [];
      uncommittedOrders = 0;
      // One request for the items of the whole chunk, rather than one per order.
      const items =
        linking.length > 0
          ? await deps.omnitron.listOrderItemsOfOrders(linking.map((l) => l.order.id))
          : null;
      const objects = linking.flatMap(({ order, remoteId, versionKnown }) =>
        orderObjects(order, items?.get(order.id) ?? [], remoteId, versionKnown),
      );
      await session.current.tracker.commit(objects);
    };
    const acknowledge = async (scope: BatchScope) => {
      const confirmed = toAcknowledge;
      toAcknowledge = [];
      if (options.acknowledge && scope.tracker.batch.status === 'done')
        await acknowledgeOrders(run, scope, confirmed);
    };

    // An order whose create had an unknown fate comes back parked instead of waiting in its slot; it is
    // imported again (looked up first) before a later commit.
    const parked = new ParkedOrders<Incoming<ChannelOrder> & { ok: true }>();
    // With `defer`, a create whose fate is unknown comes back as its `CreateFateUnknownError`, to park.
    const importing =
      (defer: boolean, chunk?: KnownOrders) =>
      async (order: ChannelOrder): Promise<ImportedOrder | CreateFateUnknownError> => {
        try {
          return await importOrder(run, cache, order, chunk, { deferUnknown: defer });
        } catch (error) {
          if (defer && error instanceof CreateFateUnknownError) return error;
          throw error;
        }
      };
    const settle = async (scope: BatchScope, order: Worked<ChannelOrder, ImportedOrder>) => {
      if (!order.ok) {
        await scope.failed(order.invalid ? 'GetOrders' : 'CreateOrder', order);
        return;
      }
      const { outcome, link } = order.value;
      const subject = { contentType: 'order', objectId: outcome.omnitronId as number } as const;
      await scope.done(
        'CreateOrder',
        { ...outcome, remoteId: order.remoteId },
        `${outcome.status} as Omnitron order ${subject.objectId}`,
        subject,
      );
      if (link) toLink.push(link);
      uncommittedOrders += 1;
      toAcknowledge.push(order.value.acknowledge);
    };
    // Parks an order whose create had an unknown fate, or records its outcome.
    const handle = async (
      scope: BatchScope,
      order: Worked<ChannelOrder, ImportedOrder | CreateFateUnknownError>,
    ) => {
      if (order.ok && order.value instanceof CreateFateUnknownError) {
        // Its reports were forwarded already: the retry must not send them again.
        const { value: reason, ...item } = order;
        run.logger.info(
          { flow: run.flow, key: order.key, what: reason.what, until: new Date(reason.settleUntil) },
          'order parked: a create may still be on its way; it is looked up again before a later commit',
        );
        parked.park({ ...item, reports: [] }, reason);
      } else {
        // Narrowed by hand: a parked order took the branch above.
        await settle(scope, order as Worked<ChannelOrder, ImportedOrder>);
      }
    };
    // Parked orders whose create should have settled are imported again (looked up first) before a chunk
    // commits, and committed with it; one whose retry loses an answer again is parked again. The last
    // commit waits for every one, and tries it without parking.
    const settleParked = async (last: boolean) => {
      if (parked.size === 0) return;
      const scope = await session.open();
      const retry = last ? await parked.takeAll(run.signal) : parked.takeSettled();
      const retried = await pMap(retry, (item) => workOne(run, 'CreateOrder', item, importing(!last)), {
        concurrency,
      });
      for (const order of retried) await handle(scope, order);
    };

    for await (const order of workInOrder(run, orders, 'CreateOrder', importing(true, known), concurrency)) {
      // Not awaited while the batch is open: one await here lets the next order start before this one is
      // handled, and at concurrency 1 an abort must stop between two orders.
      const scope = session.isOpen ? session.current : await session.open();
      await scope.forward('GetOrders', order.key, order.reports);
      await handle(scope, order);
      inBatch += 1;
      if (uncommittedOrders >= commitEvery || inBatch >= batchSize) {
        await settleParked(false);
        await commit();
      }
      if (inBatch >= batchSize) {
        inBatch = 0;
        await acknowledge(await session.rotate());
      }
    }
    await settleParked(true);
    await commit();
    await acknowledge(await session.finish());
  });
}
