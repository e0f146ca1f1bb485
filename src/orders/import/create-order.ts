import type { ImportSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { FlowDependencies } from '../run/run-context.js';
import { importOrders } from './fetch-and-create-order.js';
import type { SharedImportCache } from './import-cache.js';

/**
 * `createOrder`: puts orders given by the caller (one from a webhook, or a webhook worker's gathered
 * jobs) into Omnitron, checked like fetched ones (an invalid order is a `failed` outcome, not an
 * exception), and imported as `fetchAndCreateOrder` imports its orders, with a cache of customers,
 * addresses and products shared with the previous such runs (see `SharedImportCache`). Nothing is
 * acknowledged: the caller answers its marketplace itself.
 */
export function createOrders(
  deps: FlowDependencies,
  orders: readonly unknown[],
  options: ImportSettings,
  shared: SharedImportCache,
): Promise<FlowResult> {
  return importOrders(deps, 'createOrder', () => given(deps, orders), {
    ...options,
    acknowledge: false,
    cache: shared.current(),
  });
}

/** The caller's orders, each checked as it is read. */
async function* given(deps: FlowDependencies, orders: readonly unknown[]) {
  for (const order of orders) yield deps.channel.givenOrder(order);
}
