import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderService } from '../../src/index.js';
import { observeQueue } from '../../src/telemetry/queue-telemetry.js';
import { countSkippedRun } from '../../src/telemetry/telemetry.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import { testHandler, testWorker, until, webhookRequest } from '../intake/intake-support.js';
import { countingRunner, redisUrl, testScheduler } from '../scheduler/redis-schedulers.js';
import { busyOnceFetch, mockRestOmnitron } from '../support.js';

// The exporter an app registers (docs/observability.md), served the way Prometheus scrapes it.
const exporter = new PrometheusExporter({ preventServerStart: true });
const scrapes = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));

beforeAll(async () => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  await new Promise<void>((resolve) => scrapes.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  metrics.disable();
  await new Promise((resolve) => scrapes.close(resolve));
});

async function scrape(): Promise<string> {
  const { port } = scrapes.address() as AddressInfo;
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** Records at least one data point of every metric the SDK has. */
async function recordEveryMetric(): Promise<void> {
  // Omnitron busy once, so a retry is counted too.
  const { omnitron } = await mockRestOmnitron({ fetch: busyOnceFetch() });
  const service = new OrderService({
    omnitron,
    channel: new ScriptedChannel({ orders: [buildChannelOrder(), buildChannelOrder()] }),
  });
  await service.fetchAndCreateOrder();
  countSkippedRun('fetchAndCreateOrder');

  // A webhook taken to its order: the lag, and the intake queue's gauges while it is observed.
  const handler = testHandler();
  const order = buildChannelOrder();
  expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
  const intake = new OrderService({ omnitron: new InMemoryOmnitron(), channel: new ScriptedChannel() });
  testWorker({ queueName: handler.queue.name, service: intake });
  const jobId = `acme-1:order:${order.remoteId}`;
  await until(async () => (await handler.queue.getJobState(jobId)) === 'completed');

  // A scheduled run added and run: its lateness.
  const runs = { count: 0 };
  const scheduler = testScheduler().register({
    id: 'acme',
    service: () => countingRunner(runs),
    flows: {},
  });
  await scheduler.start();
  await scheduler.runNow('acme', 'fetchAndCreateOrder');
  await until(() => runs.count === 1);

  // A queue whose Redis does not answer: a read error at the scrape.
  const refuse = () => Promise.reject(new Error('ECONNREFUSED'));
  observeQueue({ name: 'unreachable', getJobCounts: refuse, getWaiting: refuse });
}

/** A row of the guide's metrics table. */
interface GuideRow {
  otel: string;
  prometheus: string;
  type: string;
  unit: string | undefined;
  buckets: string[] | undefined;
}

const guide = readFileSync(new URL('../../docs/observability.md', import.meta.url), 'utf8');

/** The guide's metrics table, row by row (`—` for no unit or no buckets). */
function guideRows(): GuideRow[] {
  const rows = guide.matchAll(/^\| `([a-z_.]+)` \| `([a-z_]+)` \| (\w+) \| ([^|]+) \| ([^|]+) \|/gm);
  return [...rows].map(([, otel, prometheus, type, unit, buckets]) => ({
    otel: otel as string,
    prometheus: prometheus as string,
    type: type as string,
    unit: unit?.trim() === '—' ? undefined : unit?.trim().replace(/`/g, ''),
    buckets: buckets?.trim() === '—' ? undefined : buckets?.split(',').map((b) => b.trim()),
  }));
}

/** The `le` bounds served for a histogram, in order, `+Inf` left out (label values may hold braces). */
function buckets(text: string, name: string): string[] {
  const bounds = [...text.matchAll(new RegExp(`^${name}_bucket\\{.*le="([^"]+)"\\}`, 'gm'))].map((m) => m[1]);
  return [...new Set(bounds)].filter((b) => b !== '+Inf') as string[];
}

let scraped: Promise<string> | undefined;
/** The scrape after every metric was recorded, taken once for the whole file. */
function scrapedOnce(): Promise<string> {
  scraped ??= recordEveryMetric().then(scrape);
  return scraped;
}

describe.skipIf(!redisUrl)('metrics as Prometheus scrapes them from the PrometheusExporter', () => {
  it('serves every metric of the guide under its name, type, unit and buckets, and no other', async () => {
    const text = await scrapedOnce();
    const rows = guideRows();
    expect(rows.length).toBe(11);

    for (const row of rows) {
      expect(text, row.otel).toContain(`# TYPE ${row.prometheus} ${row.type}\n`);
      // The exporter's naming rule: dots become underscores, counters end in _total, no unit suffix.
      expect(row.prometheus).toBe(row.otel.replace(/\./g, '_') + (row.type === 'counter' ? '_total' : ''));
      if (row.unit) expect(text, row.otel).toContain(`# UNIT ${row.prometheus} ${row.unit}\n`);
      else expect(text, row.otel).not.toContain(`# UNIT ${row.prometheus} `);
      if (row.type === 'histogram') expect(buckets(text, row.prometheus), row.otel).toEqual(row.buckets);
      else expect(row.buckets, row.otel).toBeUndefined();
    }
    // Every metric the SDK serves is in the guide.
    const served = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]).filter((n) => n !== 'target_info');
    expect(served.sort()).toEqual(rows.map((r) => r.prometheus).sort());
  });

  it('serves every series and label of the queries in the guide', async () => {
    const text = await scrapedOnce();
    const samples = [...text.matchAll(/^([a-z_]+)\{([^\n]*)\} /gm)];
    const series = new Set(samples.map((m) => m[1]));
    const labels = new Set(
      samples.flatMap((m) => [...(m[2] as string).matchAll(/([a-z_]+)="/g)].map((l) => l[1])),
    );
    // The PromQL of the dashboard and alert sections: every name in it is a served series or label.
    const queries = guide.slice(guide.indexOf('## What a dashboard plots'));
    const promql = [
      ...queries.matchAll(
        /`([^`]*\b(?:rate|histogram_quantile|sum|max|increase)\b[^`]*|channel_app_[a-z_]+\{[^`]*)`/g,
      ),
    ];
    expect(promql.length).toBeGreaterThanOrEqual(15);
    const names = new Set(
      promql.flatMap((m) => (m[1] as string).match(/\b(?:channel_app|http_client)_[a-z_]+\b/g) ?? []),
    );
    for (const name of names) expect(series.has(name) || labels.has(name), name).toBe(true);
    for (const label of ['error_type', 'url_template', 'server_address', 'messaging_destination_name', 'le'])
      expect(labels, label).toContain(label);

    // Sub-second buckets for requests: a p95 of a 40 ms call is not "somewhere under 5 s"; and the
    // requests of one import spread over several buckets rather than one.
    const filled = [
      ...text.matchAll(/^http_client_request_duration_bucket\{.*le="([^"]+)"\} (\d+)/gm),
    ].filter((m) => m[1] !== '+Inf' && Number(m[2]) > 0);
    expect(new Set(filled.map((m) => m[1])).size).toBeGreaterThan(1);
  });
});
