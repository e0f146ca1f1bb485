import type { OrderCancelRequest } from '../../dto/cancellation.js';
import type { Order, OrderCreate, OrderItem } from '../../dto/order.js';
import type { OrderItemPatch } from '../../dto/order-item-update.js';
import { OrderStatus } from '../../dto/order-status.js';
import {
  DuplicateOrderError,
  OmnitronNotFoundError,
  OmnitronValidationError,
} from '../../errors/omnitron-errors.js';
import type { BatchRequestStore } from './batch-requests.js';
import type { StoreState } from './state.js';

/** Orders and their items, with unique order numbers and known references. */
export class OrderStore {
  readonly #state: StoreState;
  readonly #batches: BatchRequestStore;
  readonly #byNumber = new Map<string, number>();
  readonly #itemsByOrder = new Map<number, number[]>();

  constructor(state: StoreState, batches: BatchRequestStore) {
    this.#state = state;
    this.#batches = batches;
  }

  /** The order with this number, or `null`. */
  findByNumber(number: string): Order | null {
    const id = this.#byNumber.get(number);
    return (id === undefined ? undefined : this.#state.orders.get(id)) ?? null;
  }

  /**
   * Creates an order and its items, enforcing known references and, when `unique` (the default), a unique
   * number. A duplicate allowed in becomes the one `findByNumber` answers; both stay in `state.orders`.
   */
  create(input: OrderCreate, unique = true): Order {
    const state = this.#state;
    if (unique && this.findByNumber(input.number)) throw new DuplicateOrderError(input.number);
    const problems: string[] = [];
    if (!state.customers.has(input.customer)) problems.push(`customer ${input.customer} does not exist`);
    if (!state.addresses.has(input.shippingAddress))
      problems.push(`shipping address ${input.shippingAddress} does not exist`);
    if (!state.addresses.has(input.billingAddress))
      problems.push(`billing address ${input.billingAddress} does not exist`);
    if (!state.cargoCompanies.has(input.cargoCompany))
      problems.push(`cargo company ${input.cargoCompany} does not exist`);
    for (const item of input.items)
      if (!state.products.has(item.product)) problems.push(`product ${item.product} does not exist`);
    if (input.items.length === 0) problems.push('an order needs items');
    if (problems.length > 0)
      throw new OmnitronValidationError(`Omnitron refused the order: ${problems.join('; ')}`, {
        fieldErrors: { non_field_errors: problems },
      });

    const now = state.now();
    const order: Order = {
      id: state.nextId(),
      number: input.number,
      status: input.status,
      customer: input.customer,
      amount: input.amount,
      currency: input.currency,
      cargoCompany: input.cargoCompany,
      extraField: structuredClone(input.extraField),
      modifiedDate: now,
    };
    state.orders.set(order.id, order);
    this.#byNumber.set(order.number, order.id);
    const itemIds: number[] = [];
    this.#itemsByOrder.set(order.id, itemIds);
    for (const item of input.items) {
      const stored: OrderItem = {
        id: state.nextId(),
        order: order.id,
        product: item.product,
        status: item.status,
        price: item.price,
        invoiceNumber: null,
        invoiceDate: null,
        trackingNumber: item.trackingNumber ?? null,
        extraField: structuredClone(item.extraField),
        modifiedDate: now,
      };
      state.orderItems.set(stored.id, stored);
      itemIds.push(stored.id);
    }
    return order;
  }

  /** Changes an order on Omnitron's side (a merchant ships it, say), so it joins the update feed. */
  touch(id: number, changes: Partial<Pick<Order, 'status' | 'extraField'>> = {}): Order {
    const order = this.#order(id);
    Object.assign(order, changes, { modifiedDate: this.#state.now() });
    return order;
  }

  /** Orders by id. */
  get(ids: readonly number[]): Order[] {
    return ids.flatMap((id) => this.#state.orders.get(id) ?? []);
  }

  /**
   * Linked orders changed since the version last sent to the marketplace, and not held by an open batch
   * request: Omnitron's `orders/updates/` feed.
   */
  listAwaitingUpdate(): Order[] {
    return this.#batches.awaitingUpdate('order', this.#state.orders.values());
  }

  /** The items of an order. */
  listItems(orderId: number): OrderItem[] {
    this.#order(orderId);
    return (this.#itemsByOrder.get(orderId) ?? []).flatMap((id) => this.#state.orderItems.get(id) ?? []);
  }

  /** One order item. */
  getItem(id: number): OrderItem {
    const item = this.#state.orderItems.get(id);
    if (!item) throw new OmnitronNotFoundError(`Order item ${id} not found`);
    return item;
  }

  /** Changes an order item. */
  updateItem(id: number, patch: OrderItemPatch): OrderItem {
    const item = this.getItem(id);
    Object.assign(item, structuredClone(patch), { modifiedDate: this.#state.now() });
    return item;
  }

  /** Cancels items of an order; an item of another order, or one already cancelled, is refused. */
  cancel(orderId: number, request: OrderCancelRequest): void {
    const order = this.#order(orderId);
    const now = this.#state.now();
    for (const id of request.cancelItems) {
      const item = this.#state.orderItems.get(id);
      if (!item || item.order !== orderId)
        throw new OmnitronValidationError(`Order item ${id} is not an item of order ${orderId}`);
      if (item.status === OrderStatus.cancelled)
        throw new OmnitronValidationError(`Order item ${id} is already cancelled`);
    }
    for (const id of request.cancelItems)
      Object.assign(this.getItem(id), { status: OrderStatus.cancelled, modifiedDate: now });
    if (this.listItems(orderId).every((item) => item.status === OrderStatus.cancelled)) {
      Object.assign(order, { status: OrderStatus.cancelled, modifiedDate: now });
    }
    this.#state.cancellations.push({ orderId, request: structuredClone(request), at: now });
  }

  #order(id: number): Order {
    const order = this.#state.orders.get(id);
    if (!order) throw new OmnitronNotFoundError(`Order ${id} not found`);
    return order;
  }
}
