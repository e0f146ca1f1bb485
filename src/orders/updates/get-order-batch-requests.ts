import { AWAITING_REMOTE_STATUSES } from '../../batch/batch-request-state.js';
import { BatchRequestTracker } from '../../batch/batch-request-tracker.js';
import { finishWithResults } from '../common/order-results.js';
import { ordersToSend } from '../common/orders-to-send.js';
import { readFeed } from '../common/read-feed.js';
import type { RunSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { attempt } from '../run/attempt.js';
import { BatchScope } from '../run/batch-scope.js';
import { type FlowDependencies, type RunContext, throwIfAborted } from '../run/run-context.js';
import { runOnExistingBatches } from '../run/run-flow.js';

/**
 * `getOrderBatchRequests`: polls the marketplace (`checkOrders`) for the order update batches waiting in
 * `sent_to_remote` or `ongoing`. A finished batch gets its per-order results and ends `done` (see
 * {@link finishWithResults}); an unfinished one moves to `ongoing` and is polled again next run. A batch
 * whose poll fails is reported and left as it was, for the next run; the others go on.
 */
export function getOrderBatchRequests(deps: FlowDependencies, options: RunSettings): Promise<FlowResult> {
  const spec = { flow: 'getOrderBatchRequests', requires: ['checkOrders'] } as const;
  return runOnExistingBatches(deps, spec, options, async (context, ledger) => {
    // Read all first: each batch leaves the filtered list as it is finished, which would shift later pages.
    const statuses = AWAITING_REMOTE_STATUSES;
    const waiting = await readFeed(context.omnitron.listBatchRequests({ statuses, contentType: 'order' }));
    ledger.fetched(waiting.length);

    for (const batch of waiting) {
      throwIfAborted(context);
      const scope = BatchScope.add(
        context,
        ledger,
        BatchRequestTracker.attach(context.omnitron, batch, 'order', context),
      );
      const polled = await attempt(context, 'CheckOrders', String(batch.id), () => pollBatch(context, scope));
      if ('error' in polled) {
        context.logger.warn(
          { flow: context.flow, batchRequestId: batch.id },
          'could not finish the batch; it stays for the next poll',
        );
        await scope.failed('CheckOrders', { key: `batch ${batch.id}`, error: polled.error });
      }
    }
  });
}

/** Asks the marketplace about one batch and applies what it says. */
async function pollBatch(context: RunContext, scope: BatchScope): Promise<void> {
  const { omnitron, channel } = context;
  const batch = scope.tracker.batch;
  const sent = (batch.objects ?? []).filter((o) => o.contentType === 'order');
  const orders = await ordersToSend(omnitron, await omnitron.getOrders(sent.map((o) => o.id)));
  // The versions the batch sent: an order the merchant changed since is recorded at the sent version, so
  // the update flow still sends the change (only the flow that sends a version may record it).
  const sentVersions = new Map(sent.map((o) => [o.id, o.versionDate] as const));
  // A failure here, an unusable answer included, leaves the batch as it was, for the next poll.
  const answer = await channel.checkOrders({
    ...scope.context,
    remoteBatchId: batch.remoteBatchId ?? '',
    orders,
  });
  await scope.forward('CheckOrders', 'answer', answer.reports);
  if (answer.status === 'done')
    return finishWithResults(context, scope, 'CheckOrders', orders, answer.results, sentVersions);

  if (batch.status === 'sent_to_remote') await scope.tracker.ongoing();
  for (const { order, remoteId } of orders)
    await scope.succeeded('CheckOrders', {
      key: order.number,
      remoteId,
      status: 'ongoing',
      omnitronId: order.id,
    });
}
