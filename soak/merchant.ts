import { OrderStatus } from '../src/index.js';
import type { OmnitronStore } from '../src/testing/index.js';
import type { Random } from './random.js';

/** The order statuses a merchant moves an order through, each to the next. */
const NEXT_STATUS: Record<string, string> = {
  [OrderStatus.approved]: OrderStatus.preparing,
  [OrderStatus.preparing]: OrderStatus.shipped,
  [OrderStatus.shipped]: OrderStatus.delivered,
};

/**
 * A merchant working in Omnitron's screens, on the mock server's store directly: moves orders on
 * (preparing, shipped, delivered) and decides cancellation and return requests (approved, later completed,
 * or rejected). Every change joins Omnitron's update feeds, which the flows must carry to the marketplace.
 */
export class Merchant {
  readonly #store: OmnitronStore;
  readonly #random: Random;
  readonly counts = { statusChanges: 0, approvals: 0, rejections: 0, completions: 0 };

  constructor(store: OmnitronStore, random: Random) {
    this.#store = store;
    this.#random = random;
  }

  /** One action, chosen at random. */
  act(): void {
    if (this.#random.chance(0.5)) this.#moveOrder();
    else this.#decideRequest();
  }

  #moveOrder(): void {
    const orders = [...this.#store.orders.values()].filter((o) => NEXT_STATUS[o.status] !== undefined);
    const order = this.#random.pick(orders);
    if (!order) return;
    this.#store.touchOrder(order.id, { status: NEXT_STATUS[order.status] as string });
    this.counts.statusChanges += 1;
  }

  #decideRequest(): void {
    const open = [...this.#store.cancellationRequests.values()].filter(
      (r) => r.status === 'waiting' || r.status === 'approved',
    );
    const request = this.#random.pick(open);
    if (!request) return;
    if (request.status === 'approved') {
      this.#store.setCancellationRequestStatus(request.id, 'completed');
      this.counts.completions += 1;
    } else if (this.#random.chance(0.7)) {
      this.#store.setCancellationRequestStatus(request.id, 'approved');
      this.counts.approvals += 1;
    } else {
      this.#store.setCancellationRequestStatus(request.id, 'rejected');
      this.counts.rejections += 1;
    }
  }
}
