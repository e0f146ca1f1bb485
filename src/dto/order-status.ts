/**
 * Omnitron's status codes for orders and order items (both use the same list). They travel as strings of
 * digits, such as `"400"`; the names are only labels.
 *
 * Codes `50` to `545` and their meanings follow Omnitron's published status table. Its readable part ends
 * at `545`; `546`, `547`, `550` and `600` are the codes Akinon's public storefront code uses for the states
 * after it, so their descriptions here are our reading of the names, not Omnitron's wording.
 *
 * @example
 * ```ts
 * yield { data: { remoteId: line.id, status: OrderStatus.delivered } }; // from getUpdatedOrderItems
 * ```
 *
 * @group Data
 */
export const OrderStatus = {
  /** A cancellation was asked for and waits for approval. */
  cancellationWaiting: '50',
  /** Cancelled: it will not be shipped. The cancel flow skips items already here. */
  cancelled: '100',
  /** Placed, but nobody has started processing it yet. */
  waiting: '200',
  /** On hold until the customer pays. */
  paymentWaiting: '300',
  /** On hold until a confirmation (the merchant's or the payment provider's) arrives. */
  confirmationWaiting: '350',
  /** Validated and ready to fulfil: the default the flows give a new marketplace order and its items. */
  approved: '400',
  /** Being picked and packed for shipment. */
  preparing: '450',
  /** Handed to the cargo company. */
  shipped: '500',
  /** Shipped, and the customer has been told so. */
  shippedAndInformed: '510',
  /** Waiting at a pickup point or store for the customer to collect it. */
  readyForPickup: '520',
  /** The cargo company tried to deliver and failed. */
  attemptedDelivery: '540',
  /** A review of the order (for instance a fraud or quality check) has begun. */
  reviewStarted: '544',
  /** Waiting for a review. */
  reviewWaiting: '545',
  /** Waiting for a payment outside the checkout, such as a trade-in settlement (our reading). */
  waitingForPayment: '546',
  /** That payment arrived (our reading). */
  paid: '547',
  /** Delivered to the customer (our reading of the name). */
  delivered: '550',
  /** Returned and refunded after delivery (our reading of the name). */
  refunded: '600',
} as const;
/**
 * One of Omnitron's order and order-item status codes, such as `"400"`; see {@link OrderStatus}.
 *
 * @group Data
 */
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/**
 * Omnitron's status codes for order items: the same list as {@link OrderStatus}, under the name an
 * order-line update reads best with.
 *
 * @group Data
 */
export const OrderItemStatus: typeof OrderStatus = OrderStatus;
/**
 * One of Omnitron's order-item status codes; see {@link OrderStatus}.
 *
 * @group Data
 */
export type OrderItemStatus = OrderStatus;
