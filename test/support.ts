import { OrderService, type OrderServiceOptions } from '../src/index.js';
import { type ChannelScript, InMemoryOmnitron, ScriptedChannel } from '../src/testing/index.js';

/** A service over a seeded in-memory Omnitron and a scripted marketplace. */
export function setup(script: ChannelScript = {}, options: Partial<OrderServiceOptions> = {}) {
  const omnitron = new InMemoryOmnitron();
  const channel = new ScriptedChannel(script);
  const service = new OrderService({ omnitron, channel, ...options });
  return { omnitron, store: omnitron.store, channel, service };
}

/** The error reports Omnitron holds, failures only. */
export function failureReports(omnitron: InMemoryOmnitron) {
  return omnitron.store.errorReports.filter((r) => !r.isOk);
}

/** The typed error of an item outcome; fails the test when the outcome has no error of that class. */
export function errorOf<T extends Error>(
  outcome: { error?: unknown } | undefined,
  type: new (...args: never[]) => T,
): T {
  const error = outcome?.error;
  if (!(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error;
}
