import type { BatchRequest } from '../../dto/batch-request.js';
import type { IntegrationAction, IntegrationActionFilter } from '../../dto/integration-action.js';
import type { StoreState } from './state.js';

/** The values an integration action is created or updated with. */
export interface IntegrationActionValues {
  /** The marketplace's id of the object. */
  remoteId: string | null;
  /** The version of the object last sent. */
  versionDate: string | null;
  /** The batch request that sent it. */
  localBatchId: string | null;
}

/** Integration actions: the links between Omnitron objects and their marketplace ids, indexed both ways. */
export class IntegrationActionStore {
  readonly #state: StoreState;
  readonly #byObject = new Map<string, IntegrationAction>();
  readonly #byRemote = new Map<string, Set<IntegrationAction>>();

  constructor(state: StoreState) {
    this.#state = state;
  }

  /** Integration actions matching a filter. */
  list(filter: IntegrationActionFilter): IntegrationAction[] {
    if ('remoteIds' in filter) {
      return [...new Set(filter.remoteIds)].flatMap((id) => [
        ...(this.#byRemote.get(`${filter.contentType}:${id}`) ?? []),
      ]);
    }
    return [...new Set(filter.objectIds)].flatMap(
      (id) => this.#byObject.get(`${filter.contentType}:${id}`) ?? [],
    );
  }

  /** The action linking one object, if any. */
  actionFor(contentType: string, objectId: number): IntegrationAction | undefined {
    return this.#byObject.get(`${contentType}:${objectId}`);
  }

  /**
   * On `done`, each successful object becomes (or updates) the integration action linking it to its
   * marketplace id, with the version that was sent. Failed objects keep their old version, so they come
   * back in the update feeds.
   */
  linkObjects(batch: BatchRequest): void {
    for (const object of batch.objects ?? []) {
      if (object.failedReasonType !== null) continue;
      this.upsert(object.contentType, object.id, {
        remoteId: object.remoteId,
        versionDate: object.versionDate,
        localBatchId: batch.localBatchId,
      });
    }
  }

  /** Creates the action linking an object, or updates it (a `null` remote id or version keeps the old one). */
  upsert(contentType: string, objectId: number, values: IntegrationActionValues): void {
    const existing = this.#byObject.get(`${contentType}:${objectId}`);
    if (existing) {
      if (values.remoteId !== null && values.remoteId !== existing.remoteId) {
        this.#unindexRemote(existing);
        existing.remoteId = values.remoteId;
        this.#indexRemote(existing);
      }
      existing.versionDate = values.versionDate ?? existing.versionDate;
      existing.localBatchId = values.localBatchId;
      return;
    }
    const action: IntegrationAction = { id: this.#state.nextId(), contentType, objectId, ...values };
    this.#state.integrationActions.set(action.id, action);
    this.#byObject.set(`${contentType}:${objectId}`, action);
    this.#indexRemote(action);
  }

  #indexRemote(action: IntegrationAction): void {
    if (action.remoteId === null) return;
    const key = `${action.contentType}:${action.remoteId}`;
    const set = this.#byRemote.get(key) ?? new Set();
    set.add(action);
    this.#byRemote.set(key, set);
  }

  #unindexRemote(action: IntegrationAction): void {
    if (action.remoteId !== null)
      this.#byRemote.get(`${action.contentType}:${action.remoteId}`)?.delete(action);
  }
}
