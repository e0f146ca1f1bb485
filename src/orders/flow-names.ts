/**
 * The flows of {@link OrderService}, at run time: the one place their names are written. The scheduler
 * and the options checks read them from here.
 *
 * @group Flows
 */
export const FLOW_NAMES = [
  'fetchAndCreateOrder',
  'createOrder',
  'updateOrders',
  'getOrderBatchRequests',
  'fetchAndCreateCancel',
  'createCancel',
  'fetchAndUpdateOrderItems',
  'fetchAndCreateCancellationRequests',
  'updateCancellationRequests',
  'reconcileOrders',
] as const;

/**
 * The name of a flow of {@link OrderService}.
 *
 * @group Flows
 */
export type FlowName = (typeof FLOW_NAMES)[number];

/**
 * The flows that take their one item from the caller (a webhook, say), so have nothing to run on a schedule.
 *
 * @group Flows
 */
export const SINGLE_ITEM_FLOWS = ['createOrder', 'createCancel'] as const satisfies readonly FlowName[];
