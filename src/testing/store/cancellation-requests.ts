import type { CancellationRequest, CancellationRequestCreate } from '../../dto/cancellation.js';
import { OmnitronNotFoundError, OmnitronValidationError } from '../../errors/omnitron-errors.js';
import type { BatchRequestStore } from './batch-requests.js';
import type { StoreState } from './state.js';

/** Cancellation and return requests, with unique marketplace ids. */
export class CancellationRequestStore {
  readonly #state: StoreState;
  readonly #batches: BatchRequestStore;
  readonly #byRemoteId = new Map<string, number>();

  constructor(state: StoreState, batches: BatchRequestStore) {
    this.#state = state;
    this.#batches = batches;
  }

  /** Creates a cancellation request; the marketplace id must be new and the order item known. */
  create(input: CancellationRequestCreate): CancellationRequest {
    if (!this.#state.orderItems.has(input.orderItem))
      throw new OmnitronValidationError(`Order item ${input.orderItem} not found`);
    if (this.findByRemoteId(input.remoteId)) {
      throw new OmnitronValidationError(`A cancellation request with remote id ${input.remoteId} exists`);
    }
    const request: CancellationRequest = {
      id: this.#state.nextId(),
      ...input,
      status: 'waiting',
      modifiedDate: this.#state.now(),
    };
    this.#state.cancellationRequests.set(request.id, request);
    if (request.remoteId !== null) this.#byRemoteId.set(request.remoteId, request.id);
    return request;
  }

  /** The cancellation request with this marketplace id, or `null`. */
  findByRemoteId(remoteId: string): CancellationRequest | null {
    const id = this.#byRemoteId.get(remoteId);
    return (id === undefined ? undefined : this.#state.cancellationRequests.get(id)) ?? null;
  }

  /** Cancellation requests, optionally only the one with a marketplace id. */
  list(filter: { remoteId?: string } = {}): CancellationRequest[] {
    return [...this.#state.cancellationRequests.values()].filter(
      (r) => filter.remoteId === undefined || r.remoteId === filter.remoteId,
    );
  }

  /** Changes a request's status on Omnitron's side (a merchant approves it), so it joins the update feed. */
  setStatus(id: number, status: string): CancellationRequest {
    const request = this.#state.cancellationRequests.get(id);
    if (!request) throw new OmnitronNotFoundError(`Cancellation request ${id} not found`);
    Object.assign(request, { status, modifiedDate: this.#state.now() });
    return request;
  }

  /** Linked cancellation requests changed since last sent, not held by an open batch. */
  listUpdates(): CancellationRequest[] {
    return this.#batches.awaitingUpdate('cancellationrequest', this.#state.cancellationRequests.values());
  }
}
