/**
 * The check of `listOrders`, the optional method behind `reconcileOrders`.
 */
import { expect } from 'vitest';
import { ChannelOrder } from '../../dto/channel-order.js';
import { NotSupportedError } from '../../errors/channel-errors.js';
import { OrderMismatchError } from '../../errors/lookup-errors.js';
import { OrderService } from '../../orders/order-service.js';
import type { ConformanceCheck } from './probe.js';
import { context, describeIssues, Envelope, expectNone, omnitronFor } from './support.js';

/** The window read when the probe names none: the last two days, as `reconcileOrders` reads by default. */
const TWO_DAYS = 2 * 24 * 60 * 60_000;

/**
 * Lists the window's orders and checks each is valid and listed once, that the pending ones are among
 * them, and that `reconcileOrders` finds the orders `getOrders` imported alike: an adapter that maps an
 * order one way in `getOrders` and another in `listOrders` would make every reconciliation report it.
 */
export const listOrdersCheck: ConformanceCheck = {
  title:
    'listOrders either rejects with NotSupportedError or lists the pending orders once each, valid and alike what getOrders yields',
  run: async (channel, probe) => {
    const until = probe.listWindow?.until ?? new Date(Date.now() + 60_000);
    const since = probe.listWindow?.since ?? new Date(until.getTime() - TWO_DAYS);
    if (!channel.supports('listOrders')) {
      expect(
        () => channel.listOrders({ ...context(), since, until }),
        'listOrders says it is not supported',
      ).toThrow(NotSupportedError);
      return;
    }
    const seen = new Map<string, number>();
    const problems: string[] = [];
    const declared = new Set(probe.invalidOrderIds ?? []);
    let position = 0;
    for await (const item of channel.listOrders({ ...context(), since, until })) {
      position += 1;
      const envelope = Envelope.safeParse(item);
      if (!envelope.success) {
        problems.push(`item ${position} is not { data, reports? }`);
        continue;
      }
      const id = String(envelope.data.data.remoteId);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const parsed = ChannelOrder.safeParse(envelope.data.data);
      if (!parsed.success && !declared.has(id)) problems.push(`${id}: ${describeIssues(parsed.error)}`);
    }
    for (const [id, times] of seen) if (times > 1) problems.push(`${id} is listed ${times} times`);
    for (const id of await probe.pendingOrderIds())
      if (!seen.has(id)) problems.push(`pending order ${id} is not listed`);
    expectNone(problems, 'listOrders problems');

    const omnitron = await omnitronFor(probe);
    const service = new OrderService({ omnitron, channel });
    await service.fetchAndCreateOrder();
    const reconciled = await service.reconcileOrders({ since, until });
    expectNone(
      reconciled.items
        .filter((i) => i.error instanceof OrderMismatchError)
        .map((i) => i.error?.message ?? i.key),
      'orders listOrders lists unlike getOrders yields them (reconcileOrders reports them)',
    );
  },
};
