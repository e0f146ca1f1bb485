/**
 * The conformance suite's entry point. The checks live in `./conformance/`; this module assembles them in
 * their test order. The CommonJS build swaps this module (by its `./conformance.js` specifier) for
 * `./conformance-cjs.ts`, so nothing outside this module may import `./conformance/` at runtime.
 */
import { describe, it } from 'vitest';
import type { ChannelIntegration } from '../integrations/channel-integration.js';
import { listOrdersCheck } from './conformance/list-orders-check.js';
import {
  acknowledgementCheck,
  optionalOrderMethodsCheck,
  ordersCheck,
  orderUpdateCheck,
} from './conformance/order-checks.js';
import type { ChannelProbe, ConformanceCheck } from './conformance/probe.js';
import { itemAcknowledgementCheck, requestUpdateCheck, streamChecks } from './conformance/stream-checks.js';

export type { ChannelProbe, ConformanceCheck } from './conformance/probe.js';

/** The checks {@link describeChannelIntegration} registers, one vitest test each. */
export const CHANNEL_CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  ordersCheck,
  ...streamChecks,
  optionalOrderMethodsCheck,
  requestUpdateCheck,
  acknowledgementCheck,
  itemAcknowledgementCheck,
  orderUpdateCheck,
  listOrdersCheck,
];

/** Runs one check: `setup`, a fresh channel from the factory, the check, `teardown`. */
export async function runConformanceCheck(
  check: ConformanceCheck,
  factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  probe: ChannelProbe,
): Promise<void> {
  await probe.setup?.();
  try {
    await check.run(await factory(), probe);
  } finally {
    await probe.teardown?.();
  }
}

/**
 * Registers vitest tests, in a `describe` block named by `probe.title`, that check a `ChannelIntegration`
 * subclass against the SDK's contract: that every stream yields valid items (orders, cancellations, line
 * updates, return requests, fed by `probe.streams`), that it answers an update for every order and a
 * cancellation request update with valid results, that optional methods it lacks say they are not
 * supported, that it acknowledges only orders Omnitron confirmed, so nothing is lost or created twice, and
 * that `listOrders` (if implemented) lists orders as `getOrders` yields them.
 *
 * @example
 * ```ts
 * describeChannelIntegration(() => new MyMarketplace({ baseUrl: sandbox.url, apiKey }), {
 *   title: 'MyMarketplace conformance',
 *   setup: () => sandbox.reset(),
 *   pendingOrderIds: () => sandbox.newOrderIds(),
 *   acknowledgedOrderIds: () => sandbox.acknowledgedIds(),
 *   prepareOmnitron: (omnitron) => omnitron.store.addProduct({ remoteId: 'SKU-1' }),
 *   streams: { getCancelledOrders: () => sandbox.cancel('ORDER-1') }, // returns ['ORDER-1']
 * });
 * ```
 */
export function describeChannelIntegration(
  factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  probe: ChannelProbe,
): void {
  describe(probe.title ?? 'ChannelIntegration conformance', () => {
    for (const check of CHANNEL_CONFORMANCE_CHECKS)
      it(check.title, () => runConformanceCheck(check, factory, probe));
  });
}
