import { OmnitronRestIntegration, type OmnitronRestIntegrationOptions } from '../../src/index.js';
import { createMockOmnitronServer, type MockOmnitronServer } from '../../src/testing/index.js';

/** `npm test` runs a quick version; `npm run test:reliability` sets RELIABILITY_ORDERS=1000. */
export const RELIABILITY_ORDERS = Number(process.env.RELIABILITY_ORDERS ?? 150);
/** Replay a failure with the seed it printed: RELIABILITY_SEED=<seed>. */
export const RELIABILITY_SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);

/** 10% of requests, spread over every way a request can break. */
export const FAULTS = [
  { kind: 'status', status: 503, rate: 0.02 },
  { kind: 'status', status: 429, rate: 0.02 },
  { kind: 'timeout', rate: 0.015 },
  { kind: 'reset', rate: 0.015 },
  { kind: 'malformed', rate: 0.015 },
  { kind: 'lost-response', rate: 0.015 },
] as const;

/** A seeded mock Omnitron and a REST client with short timeouts and fast retries. */
export async function faultyOmnitron(
  options: Partial<OmnitronRestIntegrationOptions> = {},
): Promise<{ server: MockOmnitronServer; omnitron: OmnitronRestIntegration }> {
  const server = await createMockOmnitronServer({ faultSeed: RELIABILITY_SEED });
  const omnitron = new OmnitronRestIntegration({
    baseUrl: server.url,
    ...server.credentials,
    channelId: 1,
    timeout: 300,
    retry: { limit: 3, baseDelay: 1, backoffLimit: 20 },
    ...options,
  });
  return { server, omnitron };
}

/** Starts failing 10% of every request. */
export function injectFaults(server: MockOmnitronServer): void {
  for (const fault of FAULTS) server.inject({ match: /^(GET|POST|PATCH) /, ...fault });
}

/** How many faults were injected. */
export function faultsInjected(server: MockOmnitronServer): number {
  return Object.values(server.faults.injected).reduce((a, b) => a + b, 0);
}
