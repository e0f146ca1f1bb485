import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderService } from '../../src/index.js';
import { countSkippedRun } from '../../src/telemetry/telemetry.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
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

/** The `le` bounds served for a histogram, in order (label values may hold braces: `channels/{id}/`). */
function buckets(text: string, name: string): string[] {
  const bounds = [...text.matchAll(new RegExp(`^${name}_bucket\\{.*le="([^"]+)"\\}`, 'gm'))].map((m) => m[1]);
  return [...new Set(bounds)] as string[];
}

describe('metrics as Prometheus scrapes them from the PrometheusExporter', () => {
  it('serves every name the observability guide queries, with seconds and buckets that spread', async () => {
    // Omnitron busy once, so a retry is counted too.
    const { omnitron } = await mockRestOmnitron({ fetch: busyOnceFetch() });
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({ orders: [buildChannelOrder(), buildChannelOrder()] }),
    });
    await service.fetchAndCreateOrder();
    countSkippedRun('fetchAndCreateOrder');

    const text = await scrape();
    const guide = readFileSync(new URL('../../docs/observability.md', import.meta.url), 'utf8');
    // Series names, not label names: what ends as Prometheus names a counter's or a histogram's series.
    const named = new Set(
      guide.match(/\b(?:channel_app|http_client)_[a-z_]+_(?:total|bucket|sum|count)\b/g) ?? [],
    );
    expect(named.size).toBeGreaterThanOrEqual(5);
    // Every series the guide names or queries is served under exactly that name.
    const served = new Set([...text.matchAll(/^([a-z_]+)\{/gm)].map((m) => m[1]));
    for (const name of named) expect(served, name).toContain(name);

    for (const histogram of ['http_client_request_duration', 'channel_app_flow_duration'])
      expect(text).toContain(`# UNIT ${histogram} s`);
    // Sub-second buckets for requests: a p95 of a 40 ms call is not "somewhere under 5 s".
    expect(buckets(text, 'http_client_request_duration').slice(0, 4)).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
    ]);
    expect(buckets(text, 'channel_app_flow_duration')).toContain('3600');
    // The requests of one import spread over several buckets rather than one.
    const filled = [
      ...text.matchAll(/^http_client_request_duration_bucket\{.*le="([^"]+)"\} (\d+)/gm),
    ].filter((m) => m[1] !== '+Inf' && Number(m[2]) > 0);
    expect(filled.length).toBeGreaterThan(0);
  });
});
