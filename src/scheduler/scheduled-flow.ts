import { FLOW_NAMES, type FlowName, SINGLE_ITEM_FLOWS } from '../orders/flow-names.js';
import type { OrderService } from '../orders/order-service.js';

/**
 * The flows a scheduler can run: every flow of `OrderService` but `createOrder` and `createCancel`,
 * which each handle one item the caller passes in and so have nothing to run on a schedule.
 */
export type ScheduledFlow = Exclude<FlowName, (typeof SINGLE_ITEM_FLOWS)[number]>;

/** What runs a channel's flows: an `OrderService` (or anything with the same flow methods). */
export type FlowRunner = Pick<OrderService, ScheduledFlow>;

/** Every {@link ScheduledFlow}, at run time. */
export const SCHEDULED_FLOWS = FLOW_NAMES.filter(
  (flow): flow is ScheduledFlow => !(SINGLE_ITEM_FLOWS as readonly FlowName[]).includes(flow),
);
