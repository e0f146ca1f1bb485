import { type Attributes, context, propagation, SpanKind, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import { errorType, markFailed } from './error-type.js';
import { instrumentsOf, SCOPE } from './meter.js';
import { refreshQueueGauges } from './queue-telemetry.js';

/**
 * Telemetry of the webhook intake: a span for each call answered, one for each job a worker runs (a child
 * of the call's span, through the W3C trace context stored with the job), and the lag from a call's 202 to
 * its order in Omnitron. Attributes name the channel, the event's kind, the job id and outcomes; never a
 * header, a body or a value from one.
 */
const ATTR_CHANNEL = 'channel_app.channel.id';
const ATTR_KIND = 'channel_app.webhook.kind';
const ATTR_JOB = 'channel_app.webhook.job_id';
const ATTR_OUTCOME = 'channel_app.webhook.outcome';

/**
 * Lag buckets, in seconds: from a job taken at once (well under a second) to one retried through an
 * Omnitron outage (ten attempts of the default backoff span about 85 minutes).
 */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200];

const meters = instrumentsOf((meter) => ({
  lag: meter.createHistogram('channel_app.webhook.lag', {
    unit: 's',
    description:
      'From a webhook event stored (answered 202) to its order or cancellation created or found in Omnitron, by kind.',
    advice: { explicitBucketBoundaries: LAG_BUCKETS },
  }),
}));

/** What each answer of the handler means, as `channel_app.webhook.outcome`. */
const OUTCOMES: Record<number, string> = {
  202: 'accepted',
  400: 'unreadable',
  401: 'unauthenticated',
  405: 'method_not_allowed',
  408: 'body_timeout',
  413: 'too_large',
  422: 'invalid',
  500: 'internal_error',
  503: 'not_stored',
};

const tracer = () => trace.getTracer(SCOPE);

/**
 * Answers one webhook call inside its span, `channel_app.webhook receive`: of server kind, or internal
 * inside the app's own server span when its HTTP instrumentation made one. It carries the channel, the
 * method, the answer's status and what it means (`accepted`, `invalid`, `not_stored`…); a 5xx answer
 * marks it failed.
 */
export function inWebhookSpan(
  channelId: string,
  method: string,
  answer: () => Promise<Response>,
): Promise<Response> {
  refreshQueueGauges();
  const kind = trace.getActiveSpan() ? SpanKind.INTERNAL : SpanKind.SERVER;
  const attributes = { [ATTR_CHANNEL]: channelId, [ATTR_HTTP_REQUEST_METHOD]: method };
  return tracer().startActiveSpan('channel_app.webhook receive', { kind, attributes }, async (span) => {
    try {
      const response = await answer();
      const { status } = response;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      span.setAttribute(ATTR_OUTCOME, OUTCOMES[status] ?? 'other');
      if (status >= 500) markFailed(span, String(status));
      return response;
    } finally {
      span.end();
    }
  });
}

/**
 * The job data with the W3C trace context of the call being answered (`traceparent`, `tracestate`) in
 * `traceContext`, and the event's kind and job id noted on the call's span. Unchanged when tracing is off.
 */
export function withTraceContext<T extends object>(data: T, kind: string, jobId: string): T {
  trace.getActiveSpan()?.setAttributes({ [ATTR_KIND]: kind, [ATTR_JOB]: jobId });
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length === 0 ? data : { ...data, traceContext: carrier };
}

/** What the job span reads of a webhook job (a BullMQ job of the intake's queue). */
export interface TracedWebhookJob {
  id?: string | undefined;
  /** When BullMQ stored the job, in ms: just before the 202 answer. */
  timestamp: number;
  attemptsMade: number;
  data: { channelId: string; kind: string; traceContext?: Record<string, string> | undefined };
}

/** What the job span reads of a job's result. */
export interface TracedWebhookResult {
  items: readonly { status: string; code?: string | undefined }[];
}

/**
 * Runs one webhook job inside its span, `channel_app.webhook process` (consumer kind), a child of the
 * webhook call's span through the trace context stored with the job, or of BullMQ's own span when its
 * telemetry is on. The flow's spans nest in it. It carries the channel, kind, job id, attempt, the item's
 * status and error code; a job that throws (BullMQ retries it while attempts remain) is marked failed with the error's code. A job
 * whose item is in Omnitron (no item failed) records `channel_app.webhook.lag`.
 */
export function inWebhookJobSpan<R extends TracedWebhookResult>(
  job: TracedWebhookJob,
  process: () => Promise<R>,
): Promise<R> {
  const { channelId, kind, traceContext } = job.data;
  const parent = trace.getActiveSpan()
    ? context.active()
    : propagation.extract(context.active(), traceContext ?? {});
  const known = kind === 'order' || kind === 'cancel' ? { [ATTR_KIND]: kind } : {};
  const attributes: Attributes = {
    [ATTR_CHANNEL]: channelId,
    ...known,
    ...(job.id !== undefined ? { [ATTR_JOB]: job.id } : {}),
    'channel_app.webhook.attempt': job.attemptsMade + 1,
  };
  return tracer().startActiveSpan(
    'channel_app.webhook process',
    { kind: SpanKind.CONSUMER, attributes },
    parent,
    async (span) => {
      try {
        const result = await process();
        const [item] = result.items;
        if (item) span.setAttribute('channel_app.item.status', item.status);
        if (item?.code !== undefined) span.setAttribute(ATTR_ERROR_TYPE, item.code);
        const done = result.items.every((i) => i.status !== 'failed');
        span.setAttribute(ATTR_OUTCOME, done ? 'done' : 'failed');
        if (done) meters().lag.record(Math.max(0, Date.now() - job.timestamp) / 1000, known);
        return result;
      } catch (error) {
        span.setAttribute(ATTR_OUTCOME, 'error');
        markFailed(span, errorType(error));
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
