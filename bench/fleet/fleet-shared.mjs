// @ts-check
/** What bench/fleet.mjs and its worker processes agree on. */

/** The scheduled flows, in the order `--flows N` takes them. */
export const FLOW_NAMES = [
  'fetchAndCreateOrder',
  'updateOrders',
  'getOrderBatchRequests',
  'fetchAndCreateCancel',
  'fetchAndUpdateOrderItems',
  'fetchAndCreateCancellationRequests',
  'updateCancellationRequests',
];

/**
 * How long a stub run sleeps: 20–200 ms, spread evenly, from a hash of its job id, so a run and its figures
 * are the same whichever worker takes it.
 */
export function stubDuration(jobId) {
  let hash = 2166136261;
  for (let i = 0; i < jobId.length; i += 1) hash = Math.imul(hash ^ jobId.charCodeAt(i), 16777619) >>> 0;
  return 20 + (hash % 181);
}
