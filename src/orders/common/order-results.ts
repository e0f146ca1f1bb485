import type { BatchRequestObject, FailedReasonType } from '../../dto/batch-request.js';
import type { OrderBatchResult } from '../../dto/order-batch-result.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import { ChannelError, RemoteRejectedError } from '../../errors/channel-errors.js';
import type { OrderToSend } from '../../integrations/channel-integration.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';

/**
 * Applies the marketplace's per-order answers to a batch, then ends it `done` (every order was handled,
 * whatever its own outcome): accepted orders are recorded as sent; refused ones `failed_reason_type:
 * remote`, with an error report; orders the marketplace did not mention, or all of them when its answer
 * was unusable (`results` is then the error), `channel_app`, with an error report. A result names its
 * order by the marketplace id it was imported under, or by its order number.
 *
 * Each order is recorded at the version that was sent: `sentVersions` (by Omnitron id) when the batch was
 * sent earlier and the orders were read again since (the merchant may have changed one meanwhile, and that
 * change must still be sent), otherwise (or when Omnitron did not keep it) the version in `orders`.
 */
export async function finishWithResults(
  context: RunContext,
  scope: BatchScope,
  step: 'SendUpdatedOrders' | 'CheckOrders',
  orders: readonly OrderToSend[],
  results: readonly OrderBatchResult[] | ChannelAppError,
  sentVersions?: ReadonlyMap<number, string | null>,
): Promise<void> {
  const byName = new Map<string, OrderBatchResult>();
  if (Array.isArray(results)) for (const result of results) byName.set(result.number, result);

  for (const sent of orders) {
    const { order, remoteId } = sent;
    const result =
      (sent.remoteId !== null ? byName.get(sent.remoteId) : undefined) ?? byName.get(order.number);
    const failure = Array.isArray(results)
      ? failureOf(context, step, sent, result)
      : { reason: 'channel_app' as const, error: results as ChannelAppError };
    // The order keeps the marketplace id it was imported under: it is how cancels and item updates find it.
    // A result's own id (of the accepted update) goes to the report only, never into the link.
    const object: BatchRequestObject = {
      id: order.id,
      contentType: 'order',
      remoteId: failure ? null : sent.remoteId,
      failedReasonType: failure?.reason ?? null,
      versionDate: sentVersions?.get(order.id) ?? order.modifiedDate,
    };
    scope.tracker.record([object]);
    const subject = { contentType: 'order', objectId: order.id } as const;
    if (failure) {
      await scope.failed(step, {
        key: order.number,
        remoteId,
        error: failure.error,
        subject,
        payload: result,
      });
      continue;
    }
    const accepted = `accepted by the marketplace${result?.remoteId ? ` as ${result.remoteId}` : ''}`;
    await scope.succeeded(
      step,
      { key: order.number, remoteId, status: 'updated', omnitronId: order.id },
      accepted,
      subject,
    );
  }
  await scope.tracker.done();
}

/** Why one order of an answer failed, or `null` when the marketplace accepted it. */
function failureOf(
  context: RunContext,
  step: 'SendUpdatedOrders' | 'CheckOrders',
  { order }: OrderToSend,
  result: OrderBatchResult | undefined,
): { reason: FailedReasonType; error: ChannelAppError } | null {
  if (!result) {
    const operation = step === 'CheckOrders' ? 'checkOrders' : 'sendUpdatedOrders';
    const missing = new Error(
      `The marketplace sent no result for order ${order.number} (Omnitron id ${order.id})`,
    );
    return { reason: 'channel_app', error: new ChannelError(operation, { cause: missing }) };
  }
  if (result.status !== 'FAIL') return null;
  // The marketplace's words may quote what it was sent, keys included.
  const reason = context.redactor.redactText(result.message || 'no reason given');
  return { reason: 'remote', error: new RemoteRejectedError(`order ${order.number}`, reason) };
}
