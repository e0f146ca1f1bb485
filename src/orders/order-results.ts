import { z } from 'zod';
import type { BatchRequestObject, FailedReasonType } from '../dto/batch-request.js';
import type { ChannelReport } from '../dto/error-report.js';
import { OrderBatchResult } from '../dto/order-batch-result.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { ChannelError } from '../errors/channel-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import { RemoteRejectedError } from '../errors/remote-rejected-error.js';
import type { OrderToSend } from '../integrations/channel-integration.js';
import type { ItemOutcome } from './flow-result.js';
import type { BatchScope, FlowRun } from './flow-run.js';

const Results = z.array(OrderBatchResult);

/** Forwards the reports a channel adapter returned with an answer. */
export async function forwardReports(
  scope: BatchScope,
  step: string,
  reports: readonly ChannelReport[] | undefined,
): Promise<void> {
  for (const [index, report] of (reports ?? []).entries())
    await scope.reporter.channel(step, String(index + 1), report);
}

/**
 * Applies the marketplace's per-order answers to a batch: accepted orders are recorded as sent, refused
 * ones `failed_reason_type: remote` and an error report, orders the marketplace did not mention
 * `channel_app` and an error report. A result names its order by the remote id it was imported under, or by
 * its order number. The batch is then `done`: every order was handled, whatever its own outcome.
 */
export async function finishWithResults(
  run: FlowRun,
  scope: BatchScope,
  step: string,
  orders: readonly OrderToSend[],
  rawResults: unknown,
): Promise<void> {
  const parsed = Results.safeParse(rawResults);
  if (!parsed.success) {
    throw new ChannelError(step === 'CheckOrders' ? 'checkOrders' : 'sendUpdatedOrders', {
      cause: InvalidPayloadError.fromZod('channel', 'order batch results', parsed.error),
    });
  }
  const byName = new Map<string, OrderBatchResult>();
  for (const result of parsed.data) byName.set(result.number, result);

  for (const sent of orders) {
    const { order } = sent;
    const result =
      (sent.remoteId !== null ? byName.get(sent.remoteId) : undefined) ?? byName.get(order.number);
    const batchRequestId = scope.tracker.batch.id;
    let outcome: ItemOutcome;
    const operation = step === 'CheckOrders' ? 'checkOrders' : 'sendUpdatedOrders';
    let failure: { reason: FailedReasonType; error: ChannelAppError } | null = null;
    if (!result) {
      const missing = new Error(
        `The marketplace sent no result for order ${order.number} (Omnitron id ${order.id})`,
      );
      failure = { reason: 'channel_app', error: new ChannelError(operation, { cause: missing }) };
    } else if (result.status === 'FAIL') {
      failure = {
        reason: 'remote',
        // The marketplace's words may quote what it was sent, keys included.
        error: new RemoteRejectedError(
          `order ${order.number}`,
          run.deps.redactor.redactText(result.message || 'no reason given'),
        ),
      };
    }
    // The order keeps the marketplace id it was imported under: it is how cancels and item updates find it.
    // A result's own id (of the accepted update) goes to the report only, never into the link.
    const object: BatchRequestObject = {
      id: order.id,
      contentType: 'order',
      remoteId: failure ? null : sent.remoteId,
      failedReasonType: failure?.reason ?? null,
      versionDate: order.modifiedDate,
    };
    scope.tracker.record([object]);
    if (failure) {
      const { error } = failure;
      await scope.reporter.failure(step, order.number, error, { contentType: 'order', objectId: order.id });
      outcome = { key: order.number, status: 'failed', omnitronId: order.id, error, batchRequestId };
    } else {
      await scope.reporter.success(
        step,
        order.number,
        `accepted by the marketplace${result?.remoteId ? ` as ${result.remoteId}` : ''}`,
        {
          contentType: 'order',
          objectId: order.id,
        },
      );
      outcome = { key: order.number, status: 'updated', omnitronId: order.id, batchRequestId };
    }
    run.record(outcome);
  }
  await scope.tracker.done();
}
