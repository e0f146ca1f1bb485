/**
 * The CommonJS build's stand-in for the conformance suite: vitest cannot be loaded with `require()`, so
 * the suite lives in the ES module build only. Everything else in `channel-app-sdk/testing` works from
 * CommonJS.
 */
import type { ChannelIntegration } from '../integrations/channel-integration.js';
import type { ChannelProbe, ConformanceCheck } from './conformance.js';

const ESM_ONLY =
  'describeChannelIntegration needs vitest, which loads only as an ES module: import channel-app-sdk/testing from an ES module (vitest test files are).';

export const CHANNEL_CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [];

export function runConformanceCheck(
  _check: ConformanceCheck,
  _factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  _probe: ChannelProbe,
): Promise<void> {
  return Promise.reject(new Error(ESM_ONLY));
}

export function describeChannelIntegration(
  _factory: () => ChannelIntegration | Promise<ChannelIntegration>,
  _probe: ChannelProbe,
): void {
  throw new Error(ESM_ONLY);
}
