import { single } from '../common/read-feed.js';
import type { StreamSettings } from '../flow-options.js';
import type { FlowResult } from '../flow-result.js';
import type { FlowDependencies } from '../run/run-context.js';
import { cancelOrders } from './fetch-and-create-cancel.js';

/**
 * `createCancel`: applies one cancellation given by the caller (a webhook, say) under its own batch
 * request, checked like a fetched one and applied as `fetchAndCreateCancel` applies each of its own.
 */
export function createCancel(
  deps: FlowDependencies,
  cancel: unknown,
  options: StreamSettings,
): Promise<FlowResult> {
  return cancelOrders(deps, 'createCancel', () => single(deps.channel.givenCancel(cancel)), options);
}
