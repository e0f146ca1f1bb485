import type { RunSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { runFlow } from '../run/run-flow.js';
import { workInOrder } from '../run/work-in-order.js';
import { createCancellationRequest } from './cancellation-request-steps.js';

/**
 * `fetchAndCreateCancellationRequests`: reads cancellation and return requests opened on the marketplace
 * (`getCancellationRequests`) and creates each in Omnitron ({@link createCancellationRequest}). Each
 * request is committed to the batch as it is handled; the batch ends `done`, which links the requests to
 * their marketplace ids.
 */
export function fetchAndCreateCancellationRequests(
  deps: FlowDependencies,
  options: RunSettings,
): Promise<FlowResult> {
  const spec = {
    flow: 'fetchAndCreateCancellationRequests',
    contentType: 'cancellationrequest',
    requires: ['getCancellationRequests'],
  } as const;
  return runFlow(deps, spec, options, async (run, session) => {
    const scope = session.current;
    const requests = workInOrder(
      run,
      deps.channel.cancellationRequests(scope.context),
      'CreateCancellationRequest',
      (request, key) => createCancellationRequest(run, request, key),
    );
    for await (const request of requests) {
      await scope.forward('GetCancellationRequests', request.key, request.reports);
      if (!request.ok) {
        const step = request.invalid ? 'GetCancellationRequests' : 'CreateCancellationRequest';
        await scope.failed(step, request);
        continue;
      }
      const { outcome, ids, objects } = request.value;
      await scope.tracker.commit(objects);
      await scope.done(
        'CreateCancellationRequest',
        { ...outcome, remoteId: request.remoteId },
        `${outcome.status} as ${ids.join(', ')}`,
        {
          contentType: 'cancellationrequest',
          objectId: outcome.omnitronId as number,
        },
      );
    }
  });
}
