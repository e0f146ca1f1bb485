import type { FlowName } from '../orders/flow-result.js';
import type { OrderService } from '../orders/order-service.js';

/**
 * The flows a scheduler can run: every flow of `OrderService` but `createOrder` and `createCancel`,
 * which each handle one item the caller passes in and so have nothing to run on a schedule.
 */
export type ScheduledFlow = Exclude<FlowName, 'createOrder' | 'createCancel'>;

/** What runs a channel's flows: an `OrderService` (or anything with the same flow methods). */
export type FlowRunner = Pick<OrderService, ScheduledFlow>;

// A record rather than an array, so the compiler refuses a list that misses a scheduled flow or names one
// that is not a flow: `FlowName` stays the one place the names are declared, and this the one place the
// scheduler spells them out at run time (zod needs them to check a registration's `flows`).
const scheduledFlows: Record<ScheduledFlow, true> = {
  fetchAndCreateOrder: true,
  updateOrders: true,
  getOrderBatchRequests: true,
  fetchAndCreateCancel: true,
  fetchAndUpdateOrderItems: true,
  fetchAndCreateCancellationRequests: true,
  updateCancellationRequests: true,
};

/** Every {@link ScheduledFlow}, at run time. */
export const SCHEDULED_FLOWS = Object.keys(scheduledFlows) as ScheduledFlow[];
