import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  BatchTransitionError,
  DuplicateOrderError,
  OmnitronNotFoundError,
  OmnitronValidationError,
} from '../../errors/omnitron-errors.js';
import { OmnitronStore } from '../omnitron-store.js';
import { seedDefaults } from '../seed.js';
import {
  type MockBehaviourCounts,
  type UndocumentedFilterMode,
  undocumentedFiltersOf,
  zeroBehaviourCounts,
} from './behaviour.js';
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
  /**
   * The loopback port to listen on (default 0: an ephemeral one). A fixed port lets processes that are
   * killed and started again (workers of a soak) reach the same server at the same URL.
   */
  port?: number;
  /**
   * Whether a create of an order number the channel already has is refused, as Omnitron does (default
   * `true`). `false` stores the second order too, so duplicates a client makes become visible in the store.
   * Sets the store's `uniqueOrderNumbers`, a given store's too.
   */
  uniqueOrderNumbers?: boolean;
  /**
   * What happens to the list filters the SDK sends that Omnitron's public reference does not list
   * (`number__in` and `pk__in` on orders, `order__in` and `pk__in` on order items, `remote_id` and
   * `remote_id__in` on cancellation requests, `status` on batch requests): `honour` them (default), `ignore` them (the whole list is
   * answered), answer `400` or `500`, or close the connection (`closed`).
   */
  undocumentedFilters?: UndocumentedFilterMode;
  /**
   * Whether lists honour `?page=` (default `honour`). `ignore` always answers the first page, with the
   * full `count` and a `next` link, as a server without page-number pagination would.
   */
  pagination?: 'honour' | 'ignore';
  /**
   * Delay, in ms, before a create (a `POST` answered 201) is answered, added AFTER the object is stored
   * (default 0): a client whose timeout is shorter gives up, yet the object exists.
   */
  slowCreates?: number;
  /**
   * Ms added to the server's clock (default 0): to the dates a new store writes (modified and created
   * dates) and to each answer's `Date` header. A store given in `store` keeps its own clock; only the
   * header moves then.
   */
  clockSkew?: number;
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
  outcome: number | Exclude<FaultKind, 'status' | 'malformed' | 'empty'>;
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
  /** How many times each behaviour switch (filters, pagination, duplicates, slow creates, skew) fired. */
  readonly behaviour: Readonly<MockBehaviourCounts>;
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
  const clockSkew = options.clockSkew ?? 0;
  const store =
    options.store ??
    new OmnitronStore({
      ...(options.channelId === undefined ? {} : { channelId: options.channelId }),
      ...(clockSkew === 0 ? {} : { clock: () => new Date(Date.now() + clockSkew) }),
    });
  if (!options.store && options.seed !== false) seedDefaults(store);
  if (options.uniqueOrderNumbers !== undefined) store.uniqueOrderNumbers = options.uniqueOrderNumbers;
  const filterMode = options.undocumentedFilters ?? 'honour';
  const ignorePages = options.pagination === 'ignore';
  const slowCreates = options.slowCreates ?? 0;
  const behaviour = zeroBehaviourCounts();
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

    const filters = undocumentedFiltersOf(method, url.pathname, url.searchParams);
    if (filters.length > 0 && filterMode !== 'honour') {
      if (filterMode === 'ignore') {
        behaviour.filtersIgnored += 1;
        for (const key of filters) url.searchParams.delete(key);
      } else {
        behaviour.filtersRefused += 1;
        if (filterMode === 'closed') {
          record.outcome = 'reset';
          req.socket.destroy();
          return;
        }
        record.outcome = filterMode;
        const body =
          filterMode === 400
            ? Object.fromEntries(filters.map((key) => [key, ['Unknown filter.']]))
            : { detail: 'Server error' };
        send(res, filterMode, body);
        return;
      }
    }

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
        {
          ...dateHeader(),
          ...(fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) }),
        },
      );
      return;
    }

    if (fault?.kind === 'slow') {
      // Processed late whether or not the client is still there, as a busy server does.
      await new Promise((resolve) => setTimeout(resolve, fault.delay ?? 1000));
    }
    const answer = route(method, url, text, req.headers.authorization);
    countDuplicates(method, url.pathname, answer);
    if (slowCreates > 0 && method === 'POST' && answer.status === 201) {
      // Stored already: the client may give up waiting, the object stays.
      behaviour.slowCreates += 1;
      await new Promise((resolve) => setTimeout(resolve, slowCreates));
    }
    if (fault?.kind === 'lost-response') {
      record.outcome = 'lost-response';
      req.socket.destroy();
      return;
    }
    record.outcome = answer.status;
    if (fault?.kind === 'malformed') {
      res
        .writeHead(200, { 'Content-Type': 'application/json', ...dateHeader() })
        .end('{"results": [{"pk": 1,');
      return;
    }
    if (fault?.kind === 'empty') {
      res.writeHead(200, { 'Content-Type': 'application/json', ...dateHeader() }).end();
      return;
    }
    send(res, answer.status, answer.body, dateHeader());
  }

  /** A `Date` header on the skewed clock, or none (Node's own) without skew. */
  function dateHeader(): Record<string, string> {
    if (clockSkew === 0) return {};
    behaviour.skewedAnswers += 1;
    return { Date: new Date(Date.now() + clockSkew).toUTCString() };
  }

  /** Counts order creates whose number was known: refused, or stored again when numbers need not be unique. */
  function countDuplicates(method: string, path: string, answer: RouteAnswer): void {
    if (method !== 'POST' || !path.endsWith('/create_orders/')) return;
    const refused = answer.status === 400 && JSON.stringify(answer.body).includes('already exists');
    if (refused) behaviour.duplicateOrdersRefused += 1;
    if (answer.status !== 201) return;
    // With unique numbers a create answered 201 had a number the channel did not have: nothing to count,
    // and no scan over every order per create (which made a long import slower with each order).
    if (store.uniqueOrderNumbers) return;
    const number = (answer.body as { number?: unknown }).number;
    const same = [...store.orders.values()].filter((o) => o.number === number).length;
    if (same > 1) behaviour.duplicateOrdersAccepted += 1;
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
    const asked = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    if (ignorePages && asked > 1) behaviour.pagesIgnored += 1;
    const number = ignorePages ? 1 : asked;
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    credentials,
    requests,
    faults,
    behaviour,
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
