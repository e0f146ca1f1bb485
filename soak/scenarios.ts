import type { FaultRule, MockOmnitronServerOptions } from '../src/testing/index.js';

/** One way the mock Omnitron departs from the happy path, for a whole soak. */
export interface Scenario {
  name: string;
  /** What it checks, for the report. */
  about: string;
  /** Switches of the mock server. */
  server: Pick<
    MockOmnitronServerOptions,
    'uniqueOrderNumbers' | 'undocumentedFilters' | 'pagination' | 'slowCreates' | 'clockSkew'
  >;
  /**
   * The `limit` the workers' REST client asks for (default 10, the mock's page size in every scenario, so
   * lists span many pages).
   */
  pageSize?: number;
  /** Faults injected all along (rates, from the seeded fault plan). */
  faults?: FaultRule[];
}

const TEN_MINUTES = 10 * 60_000;
const CREATES = /^POST \/api\/v1\/channel\/\d+\/(create_orders|customers|addresses|cancellation_requests)\/$/;
const READS = /^GET \/api\/v1\/channel\//;

/** Every scenario, by name; `all` runs each in turn. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'baseline', about: 'Omnitron as the SDK expects it', server: {} },
  {
    name: 'unique-off',
    about: 'order numbers not enforced unique, so any duplicate the SDK makes is stored and seen',
    server: { uniqueOrderNumbers: false },
  },
  {
    name: 'filters-ignored',
    about: 'undocumented list filters ignored: whole lists come back',
    server: { undocumentedFilters: 'ignore' },
  },
  {
    name: 'filters-400',
    about: 'undocumented list filters answered 400',
    server: { undocumentedFilters: 400 },
  },
  {
    name: 'filters-500',
    about: 'undocumented list filters answered 500',
    server: { undocumentedFilters: 500 },
  },
  {
    name: 'filters-closed',
    about: 'undocumented list filters answered by closing the connection',
    server: { undocumentedFilters: 'closed' },
  },
  { name: 'pages-ignored', about: '?page= ignored: always the first page', server: { pagination: 'ignore' } },
  {
    name: 'pages-capped',
    about: 'pages smaller than the limit asked (10 of 100), as a server with a maximum page size serves',
    server: {},
    pageSize: 100,
  },
  {
    name: 'slow-creates',
    about:
      'customer, address, order and request creates applied 3 s late, after the client (2 s) gave up, and ' +
      'stored ones answered late too',
    // Not every POST: a batch request cannot be looked up, so an Omnitron that answers every create after
    // the client's timeout gets no run started at all (raise `timeout` then). The creates that are looked up
    // (customers, addresses, orders, requests) are the ones a slow Omnitron must not duplicate.
    server: {},
    faults: [
      { match: CREATES, kind: 'slow', delay: 3000, rate: 0.3 },
      { match: CREATES, kind: 'lost-response', rate: 0.05 },
    ],
  },
  { name: 'clock-ahead', about: "Omnitron's clock ten minutes ahead", server: { clockSkew: TEN_MINUTES } },
  { name: 'clock-behind', about: "Omnitron's clock ten minutes behind", server: { clockSkew: -TEN_MINUTES } },
  {
    name: 'faults',
    about: 'random 503s, resets, timeouts, lost and empty answers, malformed bodies',
    server: {},
    faults: [
      { match: CREATES, kind: 'lost-response', rate: 0.03 },
      { match: CREATES, kind: 'empty', rate: 0.02 },
      { match: READS, kind: 'status', status: 503, rate: 0.02 },
      { match: READS, kind: 'malformed', rate: 0.01 },
      { match: READS, kind: 'empty', rate: 0.01 },
      { match: /.*/, kind: 'reset', rate: 0.01 },
      { match: /.*/, kind: 'timeout', rate: 0.003 },
    ],
  },
];

/** The scenarios a name stands for: one, several separated by commas, or every one for `all`. */
export function scenariosNamed(name: string): Scenario[] {
  if (name === 'all') return [...SCENARIOS];
  return name.split(',').map((one) => {
    const scenario = SCENARIOS.find((s) => s.name === one.trim());
    if (!scenario)
      throw new Error(`unknown scenario "${one}": one of ${SCENARIOS.map((s) => s.name).join(', ')}, all`);
    return scenario;
  });
}
