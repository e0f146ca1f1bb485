import { type Attributes, type Span, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { ChannelAppError } from '../errors/channel-app-error.js';
import { markFailed } from './error-type.js';
import { HttpAttempts } from './http-attempts.js';
import { instrumentsOf, SCOPE } from './meter.js';

// OpenTelemetry for the SDK, through `@opentelemetry/api` only: spans and metrics are no-ops unless the app
// registers an OpenTelemetry SDK. Nothing here records a message, a body, a query value or a header:
// attributes are flow and step names, keys (order numbers, marketplace ids), route templates, statuses
// and error codes (and, on a request's client span, its URL with every query value redacted), so no
// secret can reach a span or a metric.

/**
 * `url.template` is still "development" in OpenTelemetry's semantic conventions, so it is not exported
 * from the package's stable entry point, which a library should keep to: spelt here once.
 */
const ATTR_URL_TEMPLATE = 'url.template';

/**
 * Bucket boundaries, in seconds. Without them a histogram gets the SDK's default (0 to 10 000), meant for
 * milliseconds, and every request lands in one bucket. HTTP requests: OpenTelemetry's advice for
 * `http.client.request.duration`, extended to the SDK's default deadline (retries and waits included).
 * Flows: from a tenth of a second to an hour.
 */
const REQUEST_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 150,
];
const FLOW_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** The flow and Omnitron metrics the SDK records; see `docs/observability.md`. */
const meters = instrumentsOf((meter) => ({
  flowDuration: meter.createHistogram('channel_app.flow.duration', {
    unit: 's',
    description: 'How long a flow run took, by flow and outcome (ok or failed).',
    advice: { explicitBucketBoundaries: FLOW_BUCKETS },
  }),
  items: meter.createCounter('channel_app.flow.items', {
    description: 'Items a flow handled, by flow, status and (for failures) error code.',
  }),
  attemptDuration: meter.createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
    unit: 's',
    description: 'Each request sent to Omnitron (every attempt), by method, route, server and status.',
    advice: { explicitBucketBoundaries: REQUEST_BUCKETS },
  }),
  requestDuration: meter.createHistogram('channel_app.omnitron.request.duration', {
    unit: 's',
    description:
      'Omnitron requests as the SDK makes them, retries and waits included, by method, route and outcome.',
    advice: { explicitBucketBoundaries: REQUEST_BUCKETS },
  }),
  requestRetries: meter.createCounter('channel_app.omnitron.request.retries', {
    description: 'Omnitron requests sent again (5xx, timeouts, garbled answers), by method and route.',
  }),
  runsSkipped: meter.createCounter('channel_app.scheduler.runs_skipped', {
    description: 'Scheduled runs skipped because a run of the same channel flow was still going.',
  }),
}));

/** The tracer, taken on each use: the API's proxy tracer follows a provider registered later. */
const tracer = () => trace.getTracer(SCOPE);

/** An Omnitron path with its ids replaced, so spans and metrics group by route, never by object. */
export function routeTemplate(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

/** Marks a span failed with the error's code, never its message (it may quote a body). */
function fail(span: Span, error: unknown): void {
  markFailed(span, error instanceof ChannelAppError ? error.code : 'UNEXPECTED');
}

/**
 * Runs a flow inside its span (`channel_app.flow <name>`), and records its duration. `finish` reads the
 * attributes to add once the flow returned (its counts, say).
 */
export async function inFlowSpan<T>(
  flow: string,
  run: () => Promise<T>,
  finish: (result: T) => Attributes,
): Promise<T> {
  const started = performance.now();
  return tracer().startActiveSpan(
    `channel_app.flow ${flow}`,
    { attributes: { 'channel_app.flow': flow } },
    async (span) => {
      let outcome = 'ok';
      try {
        const result = await run();
        span.setAttributes(finish(result));
        return result;
      } catch (error) {
        outcome = 'failed';
        fail(span, error);
        throw error;
      } finally {
        span.end();
        meters().flowDuration.record((performance.now() - started) / 1000, {
          'channel_app.flow': flow,
          outcome,
        });
      }
    },
  );
}

/** Runs one item's work inside its span (`channel_app.item <step>`), so its Omnitron requests nest in it. */
export function inItemSpan<T>(flow: string, step: string, key: string, work: () => Promise<T>): Promise<T> {
  const attributes = { 'channel_app.flow': flow, 'channel_app.step': step, 'channel_app.item.key': key };
  return tracer().startActiveSpan(`channel_app.item ${step}`, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Counts one item's outcome. */
export function countItem(flow: string, status: string, error: ChannelAppError | undefined): void {
  const attributes: Attributes = { 'channel_app.flow': flow, 'channel_app.item.status': status };
  if (error) attributes['error.type'] = error.code;
  meters().items.add(1, attributes);
}

/** What an Omnitron request span learns while it runs. */
export interface RequestTelemetry {
  /** Its attempts, each a client span: `fetch` is wrapped by it, and each attempt settled. */
  attempts: HttpAttempts;
  /** Notes how many attempts were sent again (5xx, timeouts, garbled answers). */
  retried(count: number): void;
  /** Notes the status of the answer. */
  answered(status: number): void;
}

/** Where requests go: OpenTelemetry's `server.address` and `server.port`. */
export interface RequestServer {
  address: string;
  port: number;
}

/** The `server.address` and `server.port` of a base URL (the port from the scheme when none is given). */
export function requestServer(baseUrl: string): RequestServer {
  const url = new URL(baseUrl);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { address: url.hostname, port };
}

/** The attributes OpenTelemetry's HTTP conventions give every request to Omnitron. */
function requestAttributes(method: string, route: string, server: RequestServer | undefined): Attributes {
  return {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_TEMPLATE]: route,
    ...(server ? { [ATTR_SERVER_ADDRESS]: server.address, [ATTR_SERVER_PORT]: server.port } : {}),
  };
}

/**
 * The attempts of one request, each a client span (`POST auth/login/`) under the active span, each
 * recorded in `http.client.request.duration`: for a request sent outside {@link inRequestSpan} (a login).
 */
export function requestAttempts(method: string, path: string, server?: RequestServer): HttpAttempts {
  const route = routeTemplate(path);
  return new HttpAttempts(`${method} ${route}`, requestAttributes(method, route, server), (seconds, done) =>
    meters().attemptDuration.record(seconds, done),
  );
}

/**
 * Runs one Omnitron request as the SDK makes it inside a span (`channel_app.omnitron GET
 * channel/{id}/orders/`, internal kind) covering its retries and waits, recorded in
 * `channel_app.omnitron.request.duration`. Each attempt sent is a client span of its own under it
 * ({@link requestAttempts}), as OpenTelemetry's HTTP conventions ask. Both carry the method, route
 * template, server, and the status or `error.type`; the request's span also counts its retries.
 */
export function inRequestSpan<T>(
  method: string,
  path: string,
  send: (telemetry: RequestTelemetry) => Promise<T>,
  server?: RequestServer,
): Promise<T> {
  const route = routeTemplate(path);
  const attributes = requestAttributes(method, route, server);
  const started = performance.now();
  return tracer().startActiveSpan(`channel_app.omnitron ${method} ${route}`, { attributes }, async (span) => {
    let retries = 0;
    let status: number | undefined;
    const telemetry: RequestTelemetry = {
      attempts: requestAttempts(method, path, server),
      retried: (count) => {
        retries = count;
      },
      answered: (answer) => {
        status = answer;
      },
    };
    const done: Attributes = { ...attributes };
    try {
      return await send(telemetry);
    } catch (error) {
      fail(span, error);
      done[ATTR_ERROR_TYPE] = error instanceof ChannelAppError ? error.code : 'UNEXPECTED';
      throw error;
    } finally {
      // An attempt still open (a path that did not settle it) ends with its request.
      telemetry.attempts.settle(done[ATTR_ERROR_TYPE] as string | undefined);
      if (status !== undefined) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        done[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
      }
      span.setAttribute('channel_app.retries', retries);
      span.end();
      const instruments = meters();
      instruments.requestDuration.record((performance.now() - started) / 1000, done);
      if (retries > 0) instruments.requestRetries.add(retries, attributes);
    }
  });
}

/** Counts a scheduled run skipped because a run of the same channel flow was still going. */
export function countSkippedRun(flow: string): void {
  meters().runsSkipped.add(1, { 'channel_app.flow': flow });
}
