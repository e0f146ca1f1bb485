import { randomUUID } from 'node:crypto';
import { canTransition } from '../../batch/batch-request-state.js';
import type {
  BatchRequest,
  BatchRequestObject,
  BatchRequestStatus,
  BatchRequestTransition,
} from '../../dto/batch-request.js';
import type { ContentTypeName } from '../../dto/common.js';
import {
  BATCH_TRANSITION_REJECTED_CODE,
  BatchTransitionError,
  OmnitronNotFoundError,
} from '../../errors/omnitron-errors.js';
import type { IntegrationActionStore } from './integration-actions.js';
import type { StoreState } from './state.js';

/** Statuses in which a batch request still holds its objects. */
const OPEN_BATCH: readonly BatchRequestStatus[] = ['commit', 'sent_to_remote', 'ongoing'];

/**
 * Batch requests with Omnitron's rules: legal transitions only, one committed batch per content type at a
 * time, and integration actions created from a batch's objects when it reaches `done`.
 */
export class BatchRequestStore {
  readonly #state: StoreState;
  readonly #actions: IntegrationActionStore;

  constructor(state: StoreState, actions: IntegrationActionStore) {
    this.#state = state;
    this.#actions = actions;
  }

  /** Creates a batch request in `initialized`. */
  create(): BatchRequest {
    const now = this.#state.now();
    const batch: BatchRequest = {
      id: this.#state.nextId(),
      localBatchId: randomUUID(),
      remoteBatchId: null,
      contentType: null,
      status: 'initialized',
      objects: null,
      createdDate: now,
      modifiedDate: now,
    };
    this.#state.batchRequests.set(batch.id, batch);
    return batch;
  }

  /** Applies a status change, as Omnitron does, refusing illegal ones with `batch_request_status_100_1`. */
  transition(id: number, transition: BatchRequestTransition): BatchRequest {
    const batch = this.#state.batchRequests.get(id);
    if (!batch) throw new OmnitronNotFoundError(`Batch request ${id} not found`);
    const reject = (reason: string) =>
      new BatchTransitionError(id, batch.status, transition.status, reason, {
        omnitronCode: BATCH_TRANSITION_REJECTED_CODE,
      });
    if (!canTransition(batch.status, transition.status))
      throw reject('not allowed by the batch request state machine');

    switch (transition.status) {
      case 'commit': {
        if (batch.contentType !== null && batch.contentType !== transition.contentType) {
          throw reject(`it is locked to content type ${batch.contentType}`);
        }
        const holder = [...this.#state.batchRequests.values()].find(
          (other) =>
            other.id !== id && other.status === 'commit' && other.contentType === transition.contentType,
        );
        if (holder)
          throw reject(`batch request ${holder.id} holds the commit lock for ${transition.contentType}`);
        batch.contentType = transition.contentType;
        batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        break;
      }
      case 'sent_to_remote':
        batch.remoteBatchId = transition.remoteBatchId;
        break;
      case 'ongoing':
        break;
      case 'done':
        // A batch gets its content type on commit only (Omnitron's reference sends `content_type` with
        // `commit` alone), so objects closed into a batch never committed would belong to no content type.
        if (batch.contentType === null && transition.objects.length > 0)
          throw reject('its objects were never committed, so it has no content type');
        batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        this.#actions.linkObjects(batch);
        break;
      case 'fail':
        if (transition.objects) batch.objects = mergeObjects(batch.objects ?? [], transition.objects);
        break;
    }
    batch.status = transition.status;
    batch.modifiedDate = this.#state.now();
    return batch;
  }

  /** Batch requests of one content type in any of the given statuses, oldest first. */
  list(filter: { statuses: readonly BatchRequestStatus[]; contentType?: ContentTypeName }): BatchRequest[] {
    return [...this.#state.batchRequests.values()].filter(
      (b) =>
        filter.statuses.includes(b.status) &&
        (filter.contentType === undefined || b.contentType === filter.contentType),
    );
  }

  /**
   * The records of a content type that belong in its update feed: linked, changed since the version last
   * sent to the marketplace, and not held by an open batch request.
   */
  awaitingUpdate<T extends { id: number; modifiedDate: string }>(
    contentType: ContentTypeName,
    records: Iterable<T>,
  ): T[] {
    const busy = this.#objectsInOpenBatches(contentType);
    return [...records].filter((record) => {
      const action = this.#actions.actionFor(contentType, record.id);
      return (
        action !== undefined &&
        !busy.has(record.id) &&
        (action.versionDate === null || record.modifiedDate > action.versionDate)
      );
    });
  }

  /** Ids of objects of a content type held by batches still in progress. */
  #objectsInOpenBatches(contentType: ContentTypeName): Set<number> {
    const ids = new Set<number>();
    for (const batch of this.#state.batchRequests.values()) {
      if (!OPEN_BATCH.includes(batch.status)) continue;
      for (const object of batch.objects ?? []) if (object.contentType === contentType) ids.add(object.id);
    }
    return ids;
  }
}

/** Adds objects to a batch's list; a later entry for the same object replaces the earlier one. */
function mergeObjects(
  current: readonly BatchRequestObject[],
  added: readonly BatchRequestObject[],
): BatchRequestObject[] {
  const byKey = new Map<string, BatchRequestObject>();
  for (const object of [...current, ...added])
    byKey.set(`${object.contentType}:${object.id}`, structuredClone(object));
  return [...byKey.values()];
}
