import type { BatchRequestObject, FailedReasonType } from '../dto/batch-request.js';
import type { CancellationRequest, ChannelCancellationRequest } from '../dto/cancellation.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import { ReasonNotMappedError } from '../errors/reason-not-mapped-error.js';
import { RemoteRejectedError } from '../errors/remote-rejected-error.js';
import type { ItemOutcome } from './flow-result.js';
import { batchObject, exactlyOne, objectIdsByRemoteId } from './mappings.js';
import { channelReason, omnitronReason } from './reasons.js';
import type { BatchScope } from './run/batch-scope.js';
import type { FlowRun } from './run/flow-run.js';

/** A cancellation request created (or found) in Omnitron, with its batch object. */
export interface StoredCancellationRequest {
  outcome: Omit<ItemOutcome, 'batchRequestId'>;
  object: BatchRequestObject;
}

/**
 * Creates one marketplace cancellation or return request in Omnitron, against the Omnitron unit of the
 * line it names (`orderItem` is the line's marketplace id). Idempotent: a request whose marketplace id
 * Omnitron already has is `already_present`.
 */
export async function createCancellationRequest(
  run: FlowRun,
  request: ChannelCancellationRequest,
  key: string,
): Promise<StoredCancellationRequest> {
  const { omnitron } = run.deps;
  const existing = await omnitron.findCancellationRequestByRemoteId(request.remoteId);
  if (existing) {
    const object = batchObject('cancellationrequest', existing, request.remoteId);
    return { outcome: { key, status: 'already_present', omnitronId: existing.id }, object };
  }
  const ids = await objectIdsByRemoteId(omnitron, 'orderitem', [request.orderItem]);
  const created = await omnitron.createCancellationRequest({
    orderItem: exactlyOne('orderitem', request.orderItem, ids.get(request.orderItem)),
    reason: omnitronReason(run.conf, request.reason),
    remoteId: request.remoteId,
    description: request.description,
    cancellationType: request.cancellationType,
  });
  const object = batchObject('cancellationrequest', created, request.remoteId);
  return { outcome: { key, status: 'created', omnitronId: created.id }, object };
}

/** The marketplace ids a cancellation request update is sent with. */
export interface RequestRemoteIds {
  /** The request's own marketplace id, if Omnitron links one. */
  request: string | null | undefined;
  /** The marketplace id of its order line. */
  orderItem: string | undefined;
}

/**
 * Sends one changed cancellation request to the marketplace in its own terms (its marketplace id, its
 * line's marketplace id, the marketplace reason code). A `FAIL` answer is a `RemoteRejectedError`.
 */
export async function sendCancellationRequestUpdate(
  run: FlowRun,
  scope: BatchScope,
  request: CancellationRequest,
  remoteIds: RequestRemoteIds,
  key: string,
): Promise<Omit<ItemOutcome, 'batchRequestId'>> {
  const remoteId = remoteIds.request ?? request.remoteId;
  if (!remoteId) throw new MappingNotFoundError('cancellationrequest', { objectId: request.id });
  if (!remoteIds.orderItem) throw new MappingNotFoundError('orderitem', { objectId: request.orderItem });
  const answer = await run.deps.channel.updateCancellationRequest({
    ...scope.context,
    request: {
      remoteId,
      orderItem: remoteIds.orderItem,
      reason: channelReason(run.conf, request.reason),
      status: request.status,
      description: request.description,
      cancellationType: request.cancellationType,
      omnitron: request,
    },
  });
  await scope.forward('UpdateCancellationRequest', key, answer.reports);
  if (answer.status === 'FAIL') {
    // The marketplace's words may quote what it was sent, keys included.
    const reason = run.deps.redactor.redactText(answer.message || 'no reason given');
    throw new RemoteRejectedError(`cancellation request ${remoteId}`, reason);
  }
  return { key, status: 'updated', omnitronId: request.id };
}

/**
 * Why an update failed, as its batch object says: `mapping` when its ids or reason could not be put in the
 * marketplace's terms, `remote` when the marketplace refused it, `channel_app` for anything else (the
 * adapter failed, or answered something unusable).
 */
export function failedReasonOf(error: ChannelAppError): FailedReasonType {
  if (error instanceof MappingNotFoundError || error instanceof ReasonNotMappedError) return 'mapping';
  if (error instanceof RemoteRejectedError) return 'remote';
  return 'channel_app';
}
