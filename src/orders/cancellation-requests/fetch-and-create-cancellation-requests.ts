import { ItemAcknowledger } from '../common/acknowledge-items.js';
import type { StreamSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { readChunks } from '../run/read-chunks.js';
import type { FlowDependencies } from '../run/run-context.js';
import { runFlow } from '../run/run-flow.js';
import { workPerKey } from '../run/work-per-key.js';
import { createCancellationRequest, REQUEST_CHUNK, RequestLookup } from './cancellation-request-steps.js';

/**
 * `fetchAndCreateCancellationRequests`: reads cancellation and return requests opened on the marketplace
 * (`getCancellationRequests`) and creates each in Omnitron ({@link createCancellationRequest}), a chunk of
 * {@link REQUEST_CHUNK} at a time: the chunk is looked up together ({@link RequestLookup}), its requests
 * created `concurrency` lines at once (requests of one line one after another), its requests committed to
 * the batch in one go, and outcomes reported in input order, the same at any concurrency. The batch ends
 * `done`, which links the requests to their marketplace ids; then the adapter hears what became of each
 * request (`acknowledgeCancellationRequests`, when it implements it).
 */
export function fetchAndCreateCancellationRequests(
  deps: FlowDependencies,
  options: StreamSettings,
): Promise<FlowResult> {
  const spec = {
    flow: 'fetchAndCreateCancellationRequests',
    contentType: 'cancellationrequest',
    requires: ['getCancellationRequests'],
  } as const;
  const { concurrency } = options;
  return runFlow(deps, spec, options, async (context, ledger, session) => {
    const scope = session.current;
    const acknowledger = new ItemAcknowledger(context, 'acknowledgeCancellationRequests');
    const stream = context.channel.cancellationRequests(scope.context);
    for await (const chunk of readChunks(stream, REQUEST_CHUNK)) {
      ledger.fetched(chunk.length);
      const lookup = await RequestLookup.of(
        context,
        chunk.flatMap((item) => (item.ok ? [item.data] : [])),
      );
      const { worked: requests, stopped } = await workPerKey(
        context,
        chunk,
        'CreateCancellationRequest',
        (request) => request.orderItem,
        (request, key) => createCancellationRequest(context, request, key, lookup),
        concurrency,
      );
      await scope.tracker.commit(requests.flatMap((request) => (request.ok ? request.value.objects : [])));
      for (const request of requests) {
        await scope.forward('GetCancellationRequests', request.key, request.reports);
        if (!request.ok) {
          const step = request.invalid ? 'GetCancellationRequests' : 'CreateCancellationRequest';
          await scope.failed(step, request);
          acknowledger.failed(request);
          continue;
        }
        const { outcome, ids } = request.value;
        const named = { ...outcome, remoteId: request.remoteId };
        acknowledger.applied(named);
        await scope.succeeded('CreateCancellationRequest', named, `${outcome.status} as ${ids.join(', ')}`, {
          contentType: 'cancellationrequest',
          objectId: outcome.omnitronId as number,
        });
      }
      // The items finished before the run stopped are recorded above, as one at a time would have.
      if (stopped !== undefined) throw stopped;
    }
    await acknowledger.send(await session.finish());
  });
}
