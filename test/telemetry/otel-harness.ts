import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
// Installed with the SDK packages (they depend on it): the W3C propagator every Node SDK registers.
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Telemetry } from 'bullmq';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A reader the test collects from on demand. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Registers an OpenTelemetry SDK for the test file, as an app does: a context manager, the W3C trace
 * context propagator, a tracer provider keeping finished spans in memory (reset before each test) and a
 * meter provider read on demand.
 */
export function installOtel() {
  const spans = new InMemorySpanExporter();
  const reader = new CollectingReader();
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  });
  afterAll(() => {
    trace.disable();
    metrics.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => spans.reset());

  /** Every data point of the metric with this name, as attributes and value. */
  async function points(name: string) {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value }));
  }
  return { spans, reader, points };
}

/** A filter for spans whose name starts with `prefix`. */
export const named = (prefix: string) => (span: ReadableSpan) => span.name.startsWith(prefix);

/** The id of a span's parent. */
export const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

/** A span's own id. */
export const idOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

/**
 * A stand-in for bullmq-otel's `BullMQOtel`: a BullMQ `Telemetry` that notes the names of the spans BullMQ
 * starts with it, so a test can see BullMQ was handed it.
 */
export function recordingBullmqTelemetry(): { telemetry: Telemetry; started: string[] } {
  const started: string[] = [];
  const span = {
    setSpanOnContext: (c: unknown) => c,
    setAttribute: () => undefined,
    setAttributes: () => undefined,
    addEvent: () => undefined,
    recordException: () => undefined,
    end: () => undefined,
  };
  const telemetry: Telemetry = {
    tracer: {
      startSpan: (name) => {
        started.push(name);
        return span;
      },
    },
    contextManager: {
      with: (_context, fn) => fn(),
      active: () => ({}),
      getMetadata: () => '',
      fromMetadata: (context) => context,
    },
  };
  return { telemetry, started };
}
