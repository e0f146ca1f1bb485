import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { ChannelAppError } from '../errors/channel-app-error.js';

/**
 * OpenTelemetry for the SDK, through `@opentelemetry/api` only: spans and metrics are no-ops unless the app
 * registers an OpenTelemetry SDK. Nothing here records a message, a body, a URL with its query or a header:
 * attributes are flow and step names, keys (order numbers, marketplace ids), route templates, statuses
 * and error codes, so no secret can reach a span or a metric.
 */
const SCOPE = 'channel-app-sdk';

/** The metrics the SDK records; see `docs/observability.md`. */
interface Instruments {
  flowDuration: Histogram;
  items: Counter;
  requestDuration: Histogram;
  requestRetries: Counter;
  runsSkipped: Counter;
}

// The metrics API has no proxy meter (the trace API has one): a meter taken before the app registered its
// provider would stay a no-op, so instruments are made again whenever the global provider changes.
let instruments: { provider: MeterProvider; made: Instruments } | undefined;

function meters(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments?.provider === provider) return instruments.made;
  const meter = provider.getMeter(SCOPE);
  const made: Instruments = {
    flowDuration: meter.createHistogram('channel_app.flow.duration', {
      unit: 's',
      description: 'How long a flow run took, by flow and outcome (ok or failed).',
    }),
    items: meter.createCounter('channel_app.flow.items', {
      description: 'Items a flow handled, by flow, status and (for failures) error code.',
    }),
    requestDuration: meter.createHistogram('channel_app.omnitron.request.duration', {
      unit: 's',
      description: 'Omnitron requests, retries and waits included, by method, route and status.',
    }),
    requestRetries: meter.createCounter('channel_app.omnitron.request.retries', {
      description: 'Omnitron requests sent again (5xx, timeouts, garbled answers), by method and route.',
    }),
    runsSkipped: meter.createCounter('channel_app.scheduler.runs_skipped', {
      description: 'Scheduled runs skipped because a run of the same channel flow was still going.',
    }),
  };
  instruments = { provider, made };
  return made;
}

/** The tracer, taken on each use: the API's proxy tracer follows a provider registered later. */
const tracer = () => trace.getTracer(SCOPE);

/** An Omnitron path with its ids replaced, so spans and metrics group by route, never by object. */
export function routeTemplate(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

/** Marks a span failed with the error's code, never its message (it may quote a body). */
function fail(span: Span, error: unknown): void {
  const code = error instanceof ChannelAppError ? error.code : 'UNEXPECTED';
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
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
  /** Notes how many attempts were sent again (5xx, timeouts, garbled answers). */
  retried(count: number): void;
  /** Notes the status of the answer. */
  answered(status: number): void;
}

/**
 * Runs one Omnitron request inside a client span (`Omnitron GET channel/{id}/orders/`), with its method,
 * route template, status and retries, and records its duration and retries.
 */
export function inRequestSpan<T>(
  method: string,
  path: string,
  send: (telemetry: RequestTelemetry) => Promise<T>,
): Promise<T> {
  const route = routeTemplate(path);
  const attributes = { 'http.request.method': method, 'url.template': route };
  const started = performance.now();
  return tracer().startActiveSpan(
    `Omnitron ${method} ${route}`,
    { kind: SpanKind.CLIENT, attributes },
    async (span) => {
      let retries = 0;
      let status: number | undefined;
      const telemetry: RequestTelemetry = {
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
        done['error.type'] = error instanceof ChannelAppError ? error.code : 'UNEXPECTED';
        throw error;
      } finally {
        if (status !== undefined) {
          span.setAttribute('http.response.status_code', status);
          done['http.response.status_code'] = status;
        }
        span.setAttribute('channel_app.retries', retries);
        span.end();
        const instruments = meters();
        instruments.requestDuration.record((performance.now() - started) / 1000, done);
        if (retries > 0) instruments.requestRetries.add(retries, attributes);
      }
    },
  );
}

/** Counts a scheduled run skipped because a run of the same channel flow was still going. */
export function countSkippedRun(flow: string): void {
  meters().runsSkipped.add(1, { 'channel_app.flow': flow });
}
