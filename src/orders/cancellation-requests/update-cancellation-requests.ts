import { batchObject, remoteIdByObjectId } from '../common/mappings.js';
import { readFeed } from '../common/read-feed.js';
import { parseUnitRemoteId } from '../common/unit-remote-id.js';
import type { UpdateCancellationRequestsSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { attempt } from '../run/attempt.js';
import { type FlowDependencies, throwIfAborted } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import { failedReasonOf, sendCancellationRequestUpdate } from './cancellation-request-steps.js';

/**
 * `updateCancellationRequests`: tells the marketplace about cancellation requests that changed in
 * Omnitron (approved, rejected, completed). The requests are read from Omnitron's feed and committed to a
 * new batch first (so no other run sends them too); each is sent ({@link sendCancellationRequestUpdate})
 * and recorded with the marketplace's answer (a failure says why: see {@link failedReasonOf}); the batch
 * then ends `done`. An idle run (nothing changed) ends `done` too.
 */
export function updateCancellationRequests(
  deps: FlowDependencies,
  options: UpdateCancellationRequestsSettings,
): Promise<FlowResult> {
  const { limit } = options;
  const spec = {
    flow: 'updateCancellationRequests',
    contentType: 'cancellationrequest',
    requires: ['updateCancellationRequest'],
  } as const;
  return runFlow(deps, spec, options, async (context, ledger, session) => {
    const scope = session.current;
    const requests = await readFeed(context.omnitron.listCancellationRequestUpdates({ limit }), limit);
    ledger.fetched(requests.length);
    if (requests.length === 0) return;
    await scope.tracker.commit(requests.map((r) => batchObject('cancellationrequest', r, null)));
    const requestIds = await remoteIdByObjectId(
      context.omnitron,
      'cancellationrequest',
      requests.map((r) => r.id),
    );
    const itemIds = await remoteIdByObjectId(
      context.omnitron,
      'orderitem',
      requests.map((r) => r.orderItem),
    );

    for (const request of requests) {
      throwIfAborted(context);
      const linked = requestIds.get(request.id);
      const remoteIds = { request: linked ?? request.remoteId, orderItem: itemIds.get(request.orderItem) };
      // Named by the marketplace's request id, as when it was created: its units share it.
      const remoteId = remoteIds.request ? parseUnitRemoteId(remoteIds.request).remoteId : undefined;
      const key = remoteId ?? `#${request.id}`;
      const subject = { contentType: 'cancellationrequest', objectId: request.id } as const;
      const sent = await attempt(context, 'UpdateCancellationRequest', key, () =>
        sendCancellationRequestUpdate(context, scope, request, remoteIds, key),
      );
      const object = batchObject('cancellationrequest', request, linked ?? null);
      scope.tracker.record([
        { ...object, failedReasonType: 'error' in sent ? failedReasonOf(sent.error) : null },
      ]);
      if ('error' in sent)
        await scope.failed('UpdateCancellationRequest', {
          key,
          remoteId,
          error: sent.error,
          subject,
          payload: request,
        });
      else
        await scope.succeeded(
          'UpdateCancellationRequest',
          { ...sent.value, remoteId },
          `status ${request.status} sent`,
          subject,
        );
    }
  });
}
