import { OrderStatus } from '../../dto/order-status.js';

/**
 * Order-item statuses a unit can no longer be asked to cancel or return from. Shared by the cancels (a
 * partial cancel takes units not settled yet) and the cancellation requests (a request takes open units).
 */
export const SETTLED_UNIT_STATUSES: readonly string[] = [OrderStatus.cancelled, OrderStatus.refunded];
