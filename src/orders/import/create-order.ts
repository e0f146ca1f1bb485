import type { ImportSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import { single } from '../read-feed.js';
import type { FlowDependencies } from '../run/flow-run.js';
import { importOrders } from './fetch-and-create-order.js';

/**
 * `createOrder`: puts one order given by the caller (a webhook, say) into Omnitron under its own batch
 * request, checked like a fetched one (an invalid order is a `failed` outcome, not an exception), and
 * imported as `fetchAndCreateOrder` imports each of its orders. Nothing is acknowledged: the caller
 * answers its marketplace itself.
 */
export function createOrder(
  deps: FlowDependencies,
  order: unknown,
  options: ImportSettings,
): Promise<FlowResult> {
  return importOrders(deps, 'createOrder', () => single(deps.channel.givenOrder(order)), {
    ...options,
    acknowledge: false,
  });
}
