import type { BatchRequest, BatchRequestObject, BatchRequestTransition } from '../dto/batch-request.js';
import type { ContentTypeName } from '../dto/common.js';
import { BatchTransitionError } from '../errors/omnitron-errors.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import { AWAITING_REMOTE_STATUSES, canTransition, isTerminal } from './batch-request-state.js';

/**
 * One batch request as a flow drives it: checks every transition against the state machine before asking
 * Omnitron, and keeps the objects the flow handled so the final `done` (or `fail`) reports all of them.
 */
export class BatchRequestTracker {
  #batch: BatchRequest;
  readonly #omnitron: OmnitronIntegration;
  readonly #contentType: ContentTypeName;
  /** Handled objects by `contentType:id`; a later record of the same object replaces the earlier one. */
  readonly #objects = new Map<string, BatchRequestObject>();
  readonly #commitLockWait: number;

  private constructor(
    omnitron: OmnitronIntegration,
    batch: BatchRequest,
    contentType: ContentTypeName,
    options: TrackerOptions,
  ) {
    this.#commitLockWait = options.commitLockWait ?? DEFAULT_COMMIT_LOCK_WAIT;
    this.#omnitron = omnitron;
    this.#batch = batch;
    this.#contentType = contentType;
    for (const object of batch.objects ?? []) this.#objects.set(objectKey(object), object);
  }

  /** Creates a new batch request in Omnitron for a flow of this content type. */
  static async create(
    omnitron: OmnitronIntegration,
    contentType: ContentTypeName,
    options: TrackerOptions = {},
  ): Promise<BatchRequestTracker> {
    const batch = await omnitron.createBatchRequest(contentType);
    return new BatchRequestTracker(omnitron, batch, contentType, options);
  }

  /** Takes over an existing batch request, such as one waiting for an asynchronous answer. */
  static attach(
    omnitron: OmnitronIntegration,
    batch: BatchRequest,
    contentType: ContentTypeName,
    options: TrackerOptions = {},
  ): BatchRequestTracker {
    return new BatchRequestTracker(omnitron, batch, contentType, options);
  }

  /** The batch request as Omnitron last returned it (after a transition, without its objects: see {@link BatchRequestTracker.objects}). */
  get batch(): BatchRequest {
    return this.#batch;
  }

  /** Whether the batch reached `done` or `fail`. */
  get isFinished(): boolean {
    return isTerminal(this.#batch.status);
  }

  /** Whether the batch waits for the marketplace's asynchronous answer (`sent_to_remote` or `ongoing`). */
  get isAwaitingRemote(): boolean {
    return AWAITING_REMOTE_STATUSES.includes(this.#batch.status);
  }

  /** Every object recorded so far. */
  get objects(): BatchRequestObject[] {
    return [...this.#objects.values()];
  }

  /** Remembers handled objects without telling Omnitron yet; the final transition carries them. */
  record(objects: readonly BatchRequestObject[]): void {
    for (const object of objects) this.#objects.set(objectKey(object), object);
  }

  /** Records objects and commits them to Omnitron (`commit` may repeat to add objects). */
  async commit(objects: readonly BatchRequestObject[]): Promise<void> {
    if (objects.length === 0) return;
    this.record(objects);
    await this.#transition({ status: 'commit', contentType: this.#contentType, objects: [...objects] });
  }

  /** The marketplace took the objects and will answer later under `remoteBatchId`. */
  async sentToRemote(remoteBatchId: string): Promise<void> {
    await this.#transition({ status: 'sent_to_remote', remoteBatchId });
  }

  /** The marketplace is still working on it. */
  async ongoing(): Promise<void> {
    await this.#transition({ status: 'ongoing' });
  }

  /**
   * Every object was handled (some may have failed individually); sends all recorded objects. A batch
   * that was never committed but has objects commits them first: Omnitron gives a batch its content type on
   * commit only. Committing the instant before `done`, rather than as objects come, holds Omnitron's
   * commit lock for the content type (one committed batch per type per channel) as briefly as possible,
   * so a long cancel run does not block an import.
   */
  async done(): Promise<void> {
    if (this.#batch.status === 'initialized' && this.#objects.size > 0)
      await this.#transition({ status: 'commit', contentType: this.#contentType, objects: this.objects });
    await this.#transition({ status: 'done', objects: this.objects });
  }

  /** The run stopped before handling everything; keeps the recorded objects for the record. */
  async fail(): Promise<void> {
    const objects = this.objects;
    await this.#transition({ status: 'fail', objects: objects.length > 0 ? objects : null });
  }

  /** Asks Omnitron for a transition; a refused `commit` is asked again while `commitLockWait` lasts. */
  async #transitionWaitingForCommitLock(transition: BatchRequestTransition): Promise<BatchRequest> {
    const started = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#omnitron.transitionBatchRequest(this.#batch.id, transition);
      } catch (error) {
        const waited = Date.now() - started;
        if (transition.status !== 'commit' || !refusedByOmnitron(error) || waited >= this.#commitLockWait)
          throw error;
        const pause = Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, this.#commitLockWait - waited)));
      }
    }
  }

  async #transition(transition: BatchRequestTransition): Promise<void> {
    const from = this.#batch.status;
    if (!canTransition(from, transition.status)) {
      throw new BatchTransitionError(
        this.#batch.id,
        from,
        transition.status,
        'not allowed by the batch request state machine',
      );
    }
    const updated = await this.#transitionWaitingForCommitLock(transition);
    // Omnitron answers with every object of the batch; the tracker keeps its own list, so it keeps only
    // the batch's identity and status (a long run would otherwise hold every answer).
    this.#batch = { ...updated, objects: null };
    // Omnitron has them now; a long run keeps finished batches for its result, not their objects.
    if (this.isFinished) this.#objects.clear();
  }
}

/**
 * How long a `commit` waits by default for another batch of its content type to leave `commit`, in ms
 * (`OrderService`'s `commitLockWait`). Omnitron lets
 * one batch per content type and channel be in `commit`; the flows hold it for an instant (commit, then
 * `done`), so overlapping runs (a webhook's order beside the scheduled import, a cancel run) take turns
 * instead of failing. A batch a dead process left in `commit` is closed by the stale-batch sweep.
 */
export const DEFAULT_COMMIT_LOCK_WAIT = 60_000;

/** Options of a {@link BatchRequestTracker}. */
export interface TrackerOptions {
  /** How long a refused `commit` is asked again (ms, default {@link DEFAULT_COMMIT_LOCK_WAIT}). */
  commitLockWait?: number;
}

/** Whether Omnitron refused a transition (rather than the state machine): the commit lock is taken. */
function refusedByOmnitron(error: unknown): error is BatchTransitionError {
  return error instanceof BatchTransitionError && error.omnitronCode !== undefined;
}

function objectKey(object: BatchRequestObject): string {
  return `${object.contentType}:${object.id}`;
}
