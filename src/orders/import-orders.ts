import { ChannelOrder } from '../dto/order.js';
import { ChannelError } from '../errors/channel-error.js';
import type {
  AcknowledgedOrder,
  ChannelCallContext,
  ChannelItem,
} from '../integrations/channel-integration.js';
import { forEachChannelItem } from './channel-stream.js';
import { importOrder } from './create-order.js';
import type { FlowOptions } from './flow-options.js';
import type { FlowName, FlowResult } from './flow-result.js';
import { type BatchScope, type FlowDependencies, type FlowRun, runFlow } from './flow-run.js';

/** How many orders one `acknowledgeOrders` call carries. */
const ACKNOWLEDGE_CHUNK = 100;

/**
 * Imports orders from a channel stream into Omnitron under one batch request. Each order is committed to
 * the batch as soon as Omnitron has it; the batch ends `done` with every order and item, which links them
 * to their marketplace ids; only then are the orders acknowledged on the marketplace.
 */
export function importOrders(
  deps: FlowDependencies,
  flow: Extract<FlowName, 'fetchAndCreateOrder' | 'createOrder'>,
  open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  options: FlowOptions & { acknowledge: boolean },
): Promise<FlowResult> {
  const confirmed: AcknowledgedOrder[] = [];
  const acknowledge = options.acknowledge && deps.channel.supports('acknowledgeOrders');
  return runFlow(
    deps,
    { flow, contentType: 'order', requires: flow === 'fetchAndCreateOrder' ? ['getOrders'] : [] },
    options,
    (run, scope) =>
      forEachChannelItem(
        run,
        scope,
        {
          operation: 'getOrders',
          step: 'GetOrders',
          subject: 'channel order',
          schema: ChannelOrder,
          keyOf: (raw) => raw.number ?? raw.remoteId,
        },
        open,
        async (order, key) => {
          let imported: Awaited<ReturnType<typeof importOrder>> | undefined;
          const outcome = await scope.settle('CreateOrder', key, async () => {
            imported = await importOrder(run, order, scope.tracker.batch.id);
            return imported.outcome;
          });
          if (imported) {
            await scope.tracker.commit(imported.objects);
            if (acknowledge) confirmed.push(imported.acknowledge);
            await scope.reporter.success(
              'CreateOrder',
              key,
              `${outcome.status} as Omnitron order ${outcome.omnitronId}`,
              {
                contentType: 'order',
                objectId: outcome.omnitronId as number,
              },
            );
          }
          run.record(outcome);
        },
      ),
    acknowledge ? (run, scope) => acknowledgeOrders(run, scope, confirmed) : undefined,
  );
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
      const error = new ChannelError('acknowledgeOrders', { cause });
      run.logger.warn(
        { flow: run.flow, orders: chunk.length, error: run.deps.redactor.redactText(error.message) },
        'acknowledge failed; the orders will be offered again',
      );
      await scope.reporter.failure('AcknowledgeOrders', `${start}-${start + chunk.length - 1}`, error);
    }
  }
}
