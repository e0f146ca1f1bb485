import type { BatchRequestObject } from '../dto/batch-request.js';
import { CancellationRequestUpdateResult, ChannelCancellationRequest } from '../dto/cancellation.js';
import { ChannelError } from '../errors/channel-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import { RemoteRejectedError } from '../errors/remote-rejected-error.js';
import { awaitChannel, forEachChannelItem } from './channel-stream.js';
import type { FlowOptions, UpdateCancellationRequestsOptions } from './flow-options.js';
import type { FlowResult, ItemOutcome } from './flow-result.js';
import { type FlowDependencies, runFlow } from './flow-run.js';
import { batchObject, exactlyOne, objectIdsByRemoteId, remoteIdByObjectId } from './mappings.js';
import { readFeed } from './read-feed.js';
import { channelReason, omnitronReason } from './reasons.js';

/**
 * Creates, in Omnitron, cancellation and return requests opened on the marketplace. Idempotent: a request
 * whose marketplace id Omnitron already has is `already_present`. Each created request is committed to the
 * batch, which ends `done` and links the requests to their marketplace ids.
 */
export function fetchAndCreateCancellationRequests(
  deps: FlowDependencies,
  options: FlowOptions,
): Promise<FlowResult> {
  return runFlow(
    deps,
    {
      flow: 'fetchAndCreateCancellationRequests',
      contentType: 'cancellationrequest',
      requires: ['getCancellationRequests'],
    },
    options,
    (run, session) =>
      forEachChannelItem(
        run,
        session,
        {
          operation: 'getCancellationRequests',
          step: 'GetCancellationRequests',
          subject: 'cancellation request',
          schema: ChannelCancellationRequest,
          keyOf: (raw) => raw.remoteId,
        },
        (context) => deps.channel.getCancellationRequests(context),
        async (request, key) => {
          const scope = session.current;
          let object: BatchRequestObject | undefined;
          const outcome = await scope.settle(
            'CreateCancellationRequest',
            key,
            async (): Promise<ItemOutcome> => {
              const existing = await deps.omnitron.findCancellationRequestByRemoteId(request.remoteId);
              if (existing) {
                object = batchObject('cancellationrequest', existing, request.remoteId);
                return {
                  key,
                  status: 'already_present',
                  omnitronId: existing.id,
                  batchRequestId: scope.tracker.batch.id,
                };
              }
              const ids = await objectIdsByRemoteId(deps.omnitron, 'orderitem', [request.orderItem]);
              const created = await deps.omnitron.createCancellationRequest({
                orderItem: exactlyOne('orderitem', request.orderItem, ids.get(request.orderItem)),
                reason: omnitronReason(run.conf, request.reason),
                remoteId: request.remoteId,
                description: request.description,
                cancellationType: request.cancellationType,
              });
              object = batchObject('cancellationrequest', created, request.remoteId);
              return {
                key,
                status: 'created',
                omnitronId: created.id,
                batchRequestId: scope.tracker.batch.id,
              };
            },
          );
          if (object) {
            await scope.tracker.commit([object]);
            await scope.reporter.success(
              'CreateCancellationRequest',
              key,
              `${outcome.status} as ${outcome.omnitronId}`,
              {
                contentType: 'cancellationrequest',
                objectId: object.id,
              },
            );
          }
          run.record(outcome);
        },
      ),
  );
}

/** How many requests one run sends, unless told otherwise. */
export const DEFAULT_CANCELLATION_UPDATE_LIMIT = 100;

/**
 * Tells the marketplace about cancellation requests that changed in Omnitron (approved, rejected,
 * completed). The requests are committed to a new batch first; each gets the marketplace's answer
 * (`failed_reason_type: remote` when it refused, `mapping` when its ids or reason could not be mapped), and
 * the batch ends `done`. An idle run (nothing changed) ends `done` too.
 */
export function updateCancellationRequests(
  deps: FlowDependencies,
  options: UpdateCancellationRequestsOptions,
): Promise<FlowResult> {
  const limit = options.limit ?? DEFAULT_CANCELLATION_UPDATE_LIMIT;
  return runFlow(
    deps,
    {
      flow: 'updateCancellationRequests',
      contentType: 'cancellationrequest',
      requires: ['updateCancellationRequest'],
    },
    options,
    async (run, session) => {
      const scope = session.current;
      const requests = await readFeed(deps.omnitron.listCancellationRequestUpdates({ limit }), limit);
      run.counts.fetched = requests.length;
      if (requests.length === 0) return;
      await scope.tracker.commit(requests.map((r) => batchObject('cancellationrequest', r, null)));
      const requestRemoteIds = await remoteIdByObjectId(
        deps.omnitron,
        'cancellationrequest',
        requests.map((r) => r.id),
      );
      const itemRemoteIds = await remoteIdByObjectId(
        deps.omnitron,
        'orderitem',
        requests.map((r) => r.orderItem),
      );

      for (const request of requests) {
        run.throwIfAborted();
        const key = requestRemoteIds.get(request.id) ?? request.remoteId ?? `#${request.id}`;
        let failedReasonType: BatchRequestObject['failedReasonType'] = 'mapping';
        const outcome = await scope.settle(
          'UpdateCancellationRequest',
          key,
          async (): Promise<ItemOutcome> => {
            const remoteId = requestRemoteIds.get(request.id) ?? request.remoteId;
            if (!remoteId) throw new MappingNotFoundError('cancellationrequest', { objectId: request.id });
            const orderItem = itemRemoteIds.get(request.orderItem);
            if (!orderItem) throw new MappingNotFoundError('orderitem', { objectId: request.orderItem });
            const reason = channelReason(run.conf, request.reason);
            failedReasonType = 'channel_app';
            const raw = await awaitChannel(deps.redactor, 'updateCancellationRequest', () =>
              deps.channel.updateCancellationRequest({
                ...scope.context,
                request: {
                  remoteId,
                  orderItem,
                  reason,
                  status: request.status,
                  description: request.description,
                  cancellationType: request.cancellationType,
                  omnitron: request,
                },
              }),
            );
            const answer = CancellationRequestUpdateResult.safeParse(raw);
            if (!answer.success) {
              throw new ChannelError('updateCancellationRequest', {
                cause: InvalidPayloadError.fromZod(
                  'channel',
                  'cancellation request update result',
                  answer.error,
                ),
              });
            }
            for (const report of raw.reports ?? [])
              await scope.reporter.channel('UpdateCancellationRequest', key, report);
            if (answer.data.status === 'FAIL') {
              failedReasonType = 'remote';
              throw new RemoteRejectedError(
                `cancellation request ${remoteId}`,
                deps.redactor.redactText(answer.data.message || 'no reason given'),
              );
            }
            failedReasonType = null;
            return { key, status: 'updated', omnitronId: request.id, batchRequestId: scope.tracker.batch.id };
          },
          { contentType: 'cancellationrequest', objectId: request.id },
        );
        scope.tracker.record([
          {
            ...batchObject('cancellationrequest', request, requestRemoteIds.get(request.id) ?? null),
            failedReasonType,
          },
        ]);
        if (outcome.status === 'updated') {
          await scope.reporter.success('UpdateCancellationRequest', key, `status ${request.status} sent`, {
            contentType: 'cancellationrequest',
            objectId: request.id,
          });
        }
        run.record(outcome);
      }
    },
  );
}
