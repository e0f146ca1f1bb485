import type { IntegrationActionStore } from './integration-actions.js';
import type { StoreState } from './state.js';

/** Products, each mapped to the marketplace's product id by a `product` integration action. */
export class ProductStore {
  readonly #state: StoreState;
  readonly #actions: IntegrationActionStore;

  constructor(state: StoreState, actions: IntegrationActionStore) {
    this.#state = state;
    this.#actions = actions;
  }

  /** Adds a product and maps the marketplace's product id to it; returns the product id. */
  add(input: { remoteId: string; sku?: string; name?: string }): number {
    const id = this.#state.nextId();
    this.#state.products.set(id, {
      id,
      sku: input.sku ?? input.remoteId,
      name: input.name ?? input.remoteId,
    });
    this.#actions.upsert('product', id, {
      remoteId: input.remoteId,
      versionDate: this.#state.now(),
      localBatchId: null,
    });
    return id;
  }

  /** Product ids per mapped marketplace product id. */
  getIds(remoteIds: readonly string[]): Map<string, number> {
    const wanted = new Set(remoteIds);
    const out = new Map<string, number>();
    for (const action of this.#state.integrationActions.values()) {
      if (action.contentType === 'product' && action.remoteId !== null && wanted.has(action.remoteId))
        out.set(action.remoteId, action.objectId);
    }
    return out;
  }
}
