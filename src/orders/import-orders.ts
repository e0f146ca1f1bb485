import type { BatchRequestObject } from '../dto/batch-request.js';
import { ChannelOrder } from '../dto/order.js';
import { ChannelError } from '../errors/channel-error.js';
import type {
  AcknowledgedOrder,
  ChannelCallContext,
  ChannelItem,
} from '../integrations/channel-integration.js';
import { forEachChannelItem } from './channel-stream.js';
import { type ImportedOrder, importOrder } from './create-order.js';
import { DEFAULT_IMPORT_CONCURRENCY, type ImportOrdersOptions } from './flow-options.js';
import type { FlowName, FlowResult } from './flow-result.js';
import { attemptItem, type BatchScope, type FlowDependencies, type FlowRun, runFlow } from './flow-run.js';
import { ImportCache } from './import-cache.js';
import { KnownOrders } from './known-orders.js';

/** How many orders one `acknowledgeOrders` call carries. */
const ACKNOWLEDGE_CHUNK = 100;
/** Orders per commit, and per batch request unless `batchSize` says otherwise. */
const DEFAULT_COMMIT_EVERY = 50;

/**
 * Imports orders from a channel stream into Omnitron, `concurrency` at a time, looking incoming orders up
 * a chunk at a time (see {@link KnownOrders}). Orders are committed to the batch request every
 * `commitEvery` orders; every `batchSize` orders the batch ends `done` (which links its orders and items
 * to their marketplace ids), its orders are acknowledged on the marketplace, and a new batch starts.
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
  open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  options: ImportOrdersOptions & { acknowledge: boolean },
): Promise<FlowResult> {
  const acknowledge = options.acknowledge && deps.channel.supports('acknowledgeOrders');
  const commitEvery = Math.max(1, options.commitEvery ?? DEFAULT_COMMIT_EVERY);
  const batchSize = Math.max(1, options.batchSize ?? commitEvery);
  // What the current batch request has not committed yet, and its orders to acknowledge once it is done.
  let uncommitted: BatchRequestObject[] = [];
  let uncommittedOrders = 0;
  let inBatch = 0;
  let confirmed: AcknowledgedOrder[] = [];

  const commit = async (scope: BatchScope) => {
    const objects = uncommitted;
    uncommitted = [];
    uncommittedOrders = 0;
    await scope.tracker.commit(objects);
  };

  return runFlow(
    deps,
    { flow, contentType: 'order', requires: flow === 'fetchAndCreateOrder' ? ['getOrders'] : [] },
    options,
    async (run, session) => {
      const cache = new ImportCache(deps.omnitron, deps.lock);
      const known = new KnownOrders(run);
      await forEachChannelItem(
        run,
        session,
        {
          operation: 'getOrders',
          step: 'GetOrders',
          subject: 'channel order',
          schema: ChannelOrder,
          keyOf: (raw) => raw.number ?? raw.remoteId,
        },
        known.lookAhead(open),
        async (order, key) => {
          const attempt = await attemptItem(run, 'CreateOrder', key, () =>
            importOrder(run, cache, order, known),
          );
          return async () => {
            const scope = session.current;
            await record(run, scope, key, attempt);
            if ('value' in attempt) {
              uncommitted.push(...attempt.value.objects);
              uncommittedOrders += 1;
              if (acknowledge) confirmed.push(attempt.value.acknowledge);
            }
            inBatch += 1;
            if (uncommittedOrders >= commitEvery || inBatch >= batchSize) await commit(scope);
            if (inBatch >= batchSize) {
              inBatch = 0;
              await session.rotate();
            }
          };
        },
        options.concurrency ?? deps.importConcurrency ?? DEFAULT_IMPORT_CONCURRENCY,
      );
      await commit(session.current);
    },
    acknowledge
      ? async (run, scope) => {
          const orders = confirmed;
          confirmed = [];
          await acknowledgeOrders(run, scope, orders);
        }
      : undefined,
  );
}

/** Reports and records one order's outcome, in input order. */
async function record(
  run: FlowRun,
  scope: BatchScope,
  key: string,
  attempt: { value: ImportedOrder } | { error: import('../errors/channel-app-error.js').ChannelAppError },
): Promise<void> {
  const batchRequestId = scope.tracker.batch.id;
  if ('error' in attempt) {
    await scope.reporter.failure('CreateOrder', key, attempt.error);
    run.record({ key, status: 'failed', error: attempt.error, batchRequestId });
    return;
  }
  const { outcome } = attempt.value;
  await scope.reporter.success(
    'CreateOrder',
    key,
    `${outcome.status} as Omnitron order ${outcome.omnitronId}`,
    { contentType: 'order', objectId: outcome.omnitronId as number },
  );
  run.record({ ...outcome, batchRequestId });
}

/**
 * Acknowledges confirmed orders on the marketplace. A failure here loses nothing: the orders are in
 * Omnitron, the marketplace offers them again, and the next run finds them already present.
 */
async function acknowledgeOrders(
  run: FlowRun,
  scope: BatchScope,
  orders: AcknowledgedOrder[],
): Promise<void> {
  for (let start = 0; start < orders.length; start += ACKNOWLEDGE_CHUNK) {
    const chunk = orders.slice(start, start + ACKNOWLEDGE_CHUNK);
    try {
      await run.deps.channel.acknowledgeOrders({ ...scope.context, orders: chunk });
      run.acknowledged += chunk.length;
    } catch (cause) {
      const error = new ChannelError('acknowledgeOrders', { cause, redactor: run.deps.redactor });
      run.logger.warn(
        { flow: run.flow, orders: chunk.length, error: run.deps.redactor.redactText(error.message) },
        'acknowledge failed; the orders will be offered again',
      );
      await scope.reporter.failure('AcknowledgeOrders', `${start}-${start + chunk.length - 1}`, error);
    }
  }
}
