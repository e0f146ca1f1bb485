import { AWAITING_REMOTE_STATUSES } from '../batch/batch-request-state.js';
import { BatchRequestTracker } from '../batch/batch-request-tracker.js';
import { UnexpectedError } from '../errors/unexpected-error.js';
import type { CheckOrdersResult } from '../integrations/channel-integration.js';
import { awaitChannel } from './channel-stream.js';
import type { FlowOptions } from './flow-options.js';
import type { FlowResult } from './flow-result.js';
import { type BatchScope, type FlowDependencies, type FlowRun, startRun } from './flow-run.js';
import { finishWithResults, forwardReports } from './order-results.js';
import { ordersToSend } from './orders-to-send.js';
import { readFeed } from './read-feed.js';

/**
 * Polls the marketplace for order update batches waiting in `sent_to_remote` or `ongoing`. A finished
 * batch gets its per-order results and ends `done`; an unfinished one moves to `ongoing` and is polled
 * again next run. A batch whose poll fails is reported and left as it was, for the next run; the others go on.
 */
export async function getOrderBatchRequests(
  deps: FlowDependencies,
  options: FlowOptions,
): Promise<FlowResult> {
  const run = await startRun(deps, { flow: 'getOrderBatchRequests', requires: ['checkOrders'] }, options);
  // Read all first: each batch leaves the filtered list as it is finished, which would shift later pages.
  const waiting = await readFeed(
    deps.omnitron.listBatchRequests({ statuses: AWAITING_REMOTE_STATUSES, contentType: 'order' }),
  );

  run.counts.fetched = waiting.length;
  for (const batch of waiting) {
    run.throwIfAborted();
    const scope = run.addScope(BatchRequestTracker.attach(deps.omnitron, batch, 'order'));
    await pollBatch(run, scope);
  }
  return run.result(null);
}

async function pollBatch(run: FlowRun, scope: BatchScope): Promise<void> {
  const { omnitron, channel } = run.deps;
  const batch = scope.tracker.batch;
  try {
    const orderIds = (batch.objects ?? []).filter((o) => o.contentType === 'order').map((o) => o.id);
    const orders = await ordersToSend(omnitron, await omnitron.getOrders(orderIds));
    const answer: CheckOrdersResult = await awaitChannel(run.deps.redactor, 'checkOrders', () =>
      channel.checkOrders({ ...scope.context, remoteBatchId: batch.remoteBatchId ?? '', orders }),
    );
    await forwardReports(scope, 'CheckOrders', answer.reports);
    if (answer.status === 'ongoing') {
      if (batch.status === 'sent_to_remote') await scope.tracker.ongoing();
      for (const { order } of orders)
        run.record({ key: order.number, status: 'ongoing', omnitronId: order.id, batchRequestId: batch.id });
      return;
    }
    await finishWithResults(run, scope, 'CheckOrders', orders, answer.results);
  } catch (thrown) {
    const error = UnexpectedError.wrap(thrown, run.deps.redactor);
    if (error.code === 'FLOW_ABORTED') throw error;
    run.logger.warn(
      {
        flow: run.flow,
        batchRequestId: batch.id,
        code: error.code,
        error: run.deps.redactor.redactText(error.message),
      },
      'could not finish the batch; it stays for the next poll',
    );
    await scope.reporter.failure('CheckOrders', String(batch.id), error);
    run.record({ key: `batch ${batch.id}`, status: 'failed', error, batchRequestId: batch.id });
  }
}
