import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BatchTransitionError } from '../../errors/batch-transition-error.js';
import { DuplicateOrderError } from '../../errors/duplicate-order-error.js';
import { OmnitronNotFoundError } from '../../errors/omnitron-not-found-error.js';
import { OmnitronValidationError } from '../../errors/omnitron-validation-error.js';
import { OmnitronStore } from '../omnitron-store.js';
import { seedDefaults } from '../seed.js';
import { type FaultKind, FaultPlan, type FaultRule } from './faults.js';
import { BadRequest, newToken, type RouteAnswer, routes } from './routes.js';

/** The user and password a mock server accepts. */
export interface MockCredentials {
  /** The user. */
  username: string;
  /** The password. */
  password: string;
}

/** Options of {@link createMockOmnitronServer}. */
export interface MockOmnitronServerOptions {
  /** The state to serve (default: a new store). */
  store?: OmnitronStore;
  /** Fill a new store with the default test data (default `true`). */
  seed?: boolean;
  /** Omnitron id of the channel of a new store (default 1). */
  channelId?: number;
  /** The user and password the server accepts. */
  credentials?: MockCredentials;
  /** Delay before each answer, in ms (default 0). */
  latency?: number;
  /** The largest page it serves, whatever `limit` asks (default 100). */
  maxPageSize?: number;
  /** Seed of the fault plan's random choices (default 1). */
  faultSeed?: number;
}

/** One request the server received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path without the query. */
  path: string;
  /** The query string, with its `?`. */
  query: string;
  /** The status answered, or how the request was broken. */
  outcome: number | Exclude<FaultKind, 'status' | 'malformed'>;
  /** The fault injected, if any. */
  fault?: FaultKind;
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** A mock Omnitron on 127.0.0.1, serving the REST API the SDK uses from an {@link OmnitronStore}. */
export interface MockOmnitronServer {
  /** Base URL, such as `http://127.0.0.1:41234` (the API is under `/api/v1/`). */
  readonly url: string;
  /** The state it serves; seed it or assert on it directly. */
  readonly store: OmnitronStore;
  /** The user and password it accepts. */
  readonly credentials: MockCredentials;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The fault plan: add rules, read how many faults were injected. */
  readonly faults: FaultPlan;
  /** Adds a fault rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Changes the delay before each answer. */
  setLatency(ms: number): void;
  /** Makes every issued token invalid, as if they expired. */
  revokeTokens(): void;
  /** How many successful logins there were. */
  readonly logins: number;
  /** Every token it issued, so tests can check none leaked into logs or reports. */
  readonly issuedTokens: readonly string[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const DEFAULT_CREDENTIALS = { username: 'channel-app', password: 'mock-password-5ecret' };

/**
 * Starts a mock Omnitron HTTP server on an ephemeral loopback port. It speaks the same endpoints and JSON
 * as Omnitron's `/api/v1/` (token login, page-numbered lists, DRF-style errors, 406
 * `batch_request_status_100_1`), backed by an `OmnitronStore`, with knobs for tests: latency, injected
 * faults and a request log.
 *
 * @example
 * ```ts
 * const server = await createMockOmnitronServer({ latency: 10 });
 * server.inject({ match: 'POST /api/v1/channel/1/create_orders/', kind: 'lost-response', times: 1 });
 * const omnitron = new OmnitronRestIntegration({ baseUrl: server.url, ...server.credentials, channelId: 1 });
 * ```
 */
export async function createMockOmnitronServer(
  options: MockOmnitronServerOptions = {},
): Promise<MockOmnitronServer> {
  const store =
    options.store ??
    new OmnitronStore(options.channelId === undefined ? {} : { channelId: options.channelId });
  if (!options.store && options.seed !== false) seedDefaults(store);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const maxPageSize = options.maxPageSize ?? 100;
  const table = routes(store.channelId);
  const faults = new FaultPlan(options.faultSeed);
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const issuedTokens: string[] = [];
  const sockets = new Set<Socket>();
  let latency = options.latency ?? 0;
  let logins = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      outcome: 0,
      at: Date.now(),
    };
    requests.push(record);
    const text = await readBody(req);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const fault = faults.pick(method, url.pathname);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'reset') {
      record.outcome = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      record.outcome = 'timeout';
      // Never answer; the connection closes when the client gives up or the server stops.
      return;
    }
    if (fault?.kind === 'status') {
      const status = fault.status ?? 503;
      record.outcome = status;
      send(
        res,
        status,
        { detail: 'injected fault' },
        fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) },
      );
      return;
    }

    if (fault?.kind === 'slow') {
      // Processed late whether or not the client is still there, as a busy server does.
      await new Promise((resolve) => setTimeout(resolve, fault.delay ?? 1000));
    }
    const answer = route(method, url, text, req.headers.authorization);
    if (fault?.kind === 'lost-response') {
      record.outcome = 'lost-response';
      req.socket.destroy();
      return;
    }
    record.outcome = answer.status;
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"results": [{"pk": 1,');
      return;
    }
    send(res, answer.status, answer.body);
  }

  function route(method: string, url: URL, text: string, authorization: string | undefined): RouteAnswer {
    const match = table
      .map((r) => ({ r, m: r.method === method ? r.pattern.exec(url.pathname) : null }))
      .find((x) => x.m);
    if (!match?.m) return { status: 404, body: { detail: 'Not found.' } };
    if (match.r.auth && !tokens.has(authorization?.replace(/^Token /, '') ?? '')) {
      return { status: 401, body: { detail: 'Invalid token.' } };
    }
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      return { status: 400, body: { detail: 'JSON parse error' } };
    }
    try {
      return match.r.handle({
        store,
        query: url.searchParams,
        body,
        params: match.m.slice(1),
        credentials,
        page: (items, toJson) => page(url, items, toJson),
        issueToken: () => {
          const token = newToken();
          tokens.add(token);
          issuedTokens.push(token);
          logins += 1;
          return token;
        },
      });
    } catch (error) {
      return errorAnswer(error);
    }
  }

  function page<T>(url: URL, items: readonly T[], toJson: (item: T) => unknown) {
    const number = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const limit = Math.min(maxPageSize, Math.max(1, Number(url.searchParams.get('limit') ?? maxPageSize)));
    const results = items.slice((number - 1) * limit, number * limit).map(toJson);
    const link = (n: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      return `http://127.0.0.1${next.pathname}${next.search}`;
    };
    return {
      count: items.length,
      next: number * limit < items.length ? link(number + 1) : null,
      previous: number > 1 ? link(number - 1) : null,
      results,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    credentials,
    requests,
    faults,
    inject: (rule) => faults.add(rule),
    setLatency: (ms) => {
      latency = ms;
    },
    revokeTokens: () => tokens.clear(),
    get logins() {
      return logins;
    },
    issuedTokens,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Omnitron's answer to a failure of the store, in DRF's shapes. */
function errorAnswer(error: unknown): RouteAnswer {
  if (error instanceof BadRequest) return { status: 400, body: error.fieldErrors };
  if (error instanceof DuplicateOrderError)
    return { status: 400, body: { number: ['Order with this number already exists.'] } };
  if (error instanceof OmnitronValidationError) {
    return {
      status: 400,
      body:
        Object.keys(error.fieldErrors).length > 0 ? error.fieldErrors : { non_field_errors: [error.message] },
    };
  }
  if (error instanceof OmnitronNotFoundError) return { status: 404, body: { detail: 'Not found.' } };
  if (error instanceof BatchTransitionError) {
    return {
      status: 406,
      body: {
        non_field_errors: error.message,
        error_code: error.omnitronCode ?? 'batch_request_status_100_1',
      },
    };
  }
  return { status: 500, body: { detail: 'Server error' } };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
