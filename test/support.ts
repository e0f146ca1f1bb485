import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe } from 'vitest';
import {
  type Logger,
  type OmnitronIntegration,
  OmnitronRestIntegration,
  type OmnitronRestIntegrationOptions,
  OrderService,
  type OrderServiceOptions,
} from '../src/index.js';
import {
  type ChannelScript,
  createMockOmnitronServer,
  InMemoryOmnitron,
  type MockOmnitronServer,
  type OmnitronOperation,
  type OmnitronStore,
  ScriptedChannel,
} from '../src/testing/index.js';

/** Where the flows' Omnitron lives in a test. */
export type BackendName = 'in-memory' | 'rest';
const BACKENDS: { name: BackendName }[] = [{ name: 'in-memory' }, { name: 'rest' }];

/** Retries kept fast in tests; the count matters, not the wait. */
export const TEST_RETRY = { limit: 2, baseDelay: 1, backoffLimit: 5 };

/** The endpoint behind each port operation a test breaks, and whether the adapter retries it. */
// `parked`: the import parks an order whose create failed with an unknown fate (a 503) and tries it again,
// with a fresh retry budget, before its chunk commits; so one failed call takes two rounds of attempts.
const ENDPOINTS: Partial<Record<OmnitronOperation, { match: RegExp; retried: boolean; parked?: boolean }>> = {
  getChannel: { match: /^GET \/api\/v1\/channels\/\d+\/$/, retried: true },
  createOrder: { match: /^POST \/api\/v1\/channel\/\d+\/create_orders\/$/, retried: true, parked: true },
  transitionBatchRequest: { match: /^PATCH \/api\/v1\/channel\/\d+\/batch_requests\/\d+\/$/, retried: true },
  createErrorReport: { match: /^POST \/api\/v1\/channel\/\d+\/error_reports\/$/, retried: true },
};

/** Everything a flow test needs. */
export interface Env {
  omnitron: OmnitronIntegration;
  store: OmnitronStore;
  channel: ScriptedChannel;
  service: OrderService;
  /** Makes the next `times` calls of an operation fail the way an Omnitron outage does, after any retries. */
  failNext: (operation: OmnitronOperation, times?: number) => void;
  /** The mock server, with the REST backend. */
  server?: MockOmnitronServer;
  /** Every log line written, for checks such as "no secret was logged". */
  logs: string[];
}

/** Sets up a flow test. */
export type Setup = (script?: ChannelScript, options?: Partial<OrderServiceOptions>) => Promise<Env>;

const open: MockOmnitronServer[] = [];
// Registered in every test file that imports this module: the servers a test opened close after it.
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/**
 * A `fetch` for which Omnitron is busy once: the channel's first read is answered 503, then everything is
 * served. A test of retries gets exactly one.
 */
export function busyOnceFetch(): typeof fetch {
  let refusals = 1;
  return (input, init) => {
    const request = new Request(input, init);
    if (refusals > 0 && /\/channels\/\d+\/$/.test(new URL(request.url).pathname)) {
      refusals -= 1;
      return Promise.resolve(new Response('busy', { status: 503 }));
    }
    return fetch(request);
  };
}

/** A logger that keeps every line as text. */
export function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * A mock Omnitron server (closed after the test) and a REST client of it with fast retries; `extra`
 * overrides the client's options.
 */
export async function mockRestOmnitron(
  extra: Partial<OmnitronRestIntegrationOptions> = {},
): Promise<{ server: MockOmnitronServer; omnitron: OmnitronRestIntegration }> {
  const server = await createMockOmnitronServer();
  open.push(server);
  const omnitron = new OmnitronRestIntegration({
    baseUrl: server.url,
    ...server.credentials,
    channelId: server.store.channelId,
    retry: TEST_RETRY,
    timeout: 2000,
    ...extra,
  });
  return { server, omnitron };
}

async function setupOn(
  backend: BackendName,
  script: ChannelScript = {},
  options: Partial<OrderServiceOptions> = {},
): Promise<Env> {
  const channel = new ScriptedChannel(script);
  const logs: string[] = [];
  const logger = capturingLogger(logs);
  if (backend === 'in-memory') {
    const omnitron = new InMemoryOmnitron();
    const service = new OrderService({ omnitron, channel, logger, ...options });
    return {
      omnitron,
      store: omnitron.store,
      channel,
      service,
      logs,
      failNext: (op, times = 1) => omnitron.failNext(op, { times }),
    };
  }
  const { server, omnitron } = await mockRestOmnitron({ logger });
  const service = new OrderService({ omnitron, channel, logger, ...options });
  const failNext = (operation: OmnitronOperation, times = 1) => {
    const endpoint = ENDPOINTS[operation];
    if (!endpoint) throw new Error(`no endpoint mapped for ${operation}`);
    server.inject({
      match: endpoint.match,
      kind: 'status',
      status: 503,
      times: times * (endpoint.retried ? TEST_RETRY.limit + 1 : 1) * (endpoint.parked ? 2 : 1),
    });
  };
  return { omnitron, store: server.store, channel, service, logs, server, failNext };
}

/**
 * Registers the enclosed tests once per backend: the in-memory Omnitron, and the REST adapter against the
 * mock Omnitron server. The scenarios are written once.
 */
export function forEachBackend(register: (setup: Setup, backend: BackendName) => void): void {
  describe.each(BACKENDS)('with the $name Omnitron', ({ name }) => {
    register((script, options) => setupOn(name, script, options), name);
  });
}

/** The error reports Omnitron holds, failures only. */
export function failureReports(store: OmnitronStore) {
  return store.errorReports.filter((r) => !r.isOk);
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

/**
 * A redis-server of a test's own, on `port`, that the test may stop, flush and start again without
 * touching the shared one (REDIS_URL). Nothing is persisted.
 */
export function ownRedisServer(port: number) {
  const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args]);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    start: () =>
      execFileSync('redis-server', [
        '--port',
        String(port),
        '--daemonize',
        'yes',
        '--save',
        '',
        '--appendonly',
        'no',
      ]),
    stop: () => cli('shutdown', 'nosave'),
    /** Whether it answers. */
    ping: () => {
      try {
        return cli('ping').toString().trim() === 'PONG';
      } catch {
        return false;
      }
    },
  };
}

/**
 * Records the rejections nobody handled while each test of the file runs (the list is emptied before each
 * test): a test then asserts it stayed empty.
 */
export function recordUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });
  return unhandled;
}
