import { inspect } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { type ChannelOrderInput, OrderService } from '../../src/index.js';
import { buildChannelOrder, ScriptedChannel } from '../../src/testing/index.js';
import { busyOnceFetch, mockRestOmnitron } from '../support.js';
import { idOf, installOtel, named, parentOf } from './otel-harness.js';

const { spans, reader, points } = installOtel();

describe('OpenTelemetry', () => {
  it('traces a flow run, each item and each Omnitron request under its item, and counts items', async () => {
    const marketplaceKey = 'mkt-api-key-telemetry-1234';
    const { omnitron, server } = await mockRestOmnitron();
    const orders = [
      buildChannelOrder(),
      { ...buildChannelOrder(), amount: 12 } as unknown as ChannelOrderInput,
    ];
    const channel = new ScriptedChannel({ orders });
    const service = new OrderService({ omnitron, channel, secrets: [marketplaceKey] });

    const result = await service.fetchAndCreateOrder();

    const finished = spans.getFinishedSpans();
    const [flow] = finished.filter(named('channel_app.flow'));
    expect(flow?.name).toBe('channel_app.flow fetchAndCreateOrder');
    expect(flow?.attributes).toMatchObject({
      'channel_app.flow': 'fetchAndCreateOrder',
      'channel_app.items.created': 1,
      'channel_app.items.failed': 1,
      'channel_app.batch_request.id': result.batchRequest?.id,
    });
    // The invalid order never reaches its work: one item span, for the valid one.
    const items = finished.filter(named('channel_app.item'));
    expect(items.map((s) => [s.name, s.attributes['channel_app.item.key']])).toEqual([
      ['channel_app.item CreateOrder', orders[0]?.number],
    ]);
    expect(parentOf(items[0])).toBe(idOf(flow));
    // The create as the SDK makes it, under its item; the one request it sent, a client span under that.
    const create = finished.find(named('channel_app.omnitron POST channel/{id}/create_orders/'));
    expect(create?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'channel_app.retries': 0,
    });
    expect(parentOf(create)).toBe(idOf(items[0]));
    const requests = finished.filter((s) => s.kind === SpanKind.CLIENT);
    const sent = requests.filter((s) => parentOf(s) === idOf(create));
    expect(sent.map((s) => [s.name, s.attributes['http.response.status_code']])).toEqual([
      ['POST channel/{id}/create_orders/', 201],
    ]);
    expect(sent[0]?.attributes['http.request.resend_count']).toBeUndefined();
    // Route templates only: no id, no query string.
    for (const span of requests) expect(String(span.attributes['url.template'])).not.toMatch(/\d|\?/);

    const counted = await points('channel_app.flow.items');
    expect(counted).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'channel_app.flow': 'fetchAndCreateOrder', 'channel_app.item.status': 'created' },
          value: 1,
        },
        {
          attributes: {
            'channel_app.flow': 'fetchAndCreateOrder',
            'channel_app.item.status': 'failed',
            'error.type': 'INVALID_PAYLOAD',
          },
          value: 1,
        },
      ]),
    );
    expect((await points('channel_app.flow.duration')).length).toBeGreaterThan(0);
    const durations = await points('http.client.request.duration');
    expect(durations.length).toBeGreaterThan(0);
    const port = Number(new URL(server.url).port);
    for (const point of durations)
      expect(point.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': port });

    // Nothing secret in any span or metric: the Omnitron password, the token header, the marketplace key.
    const { password } = server.credentials;
    const everything = inspect([finished, await reader.collect()], { depth: Number.POSITIVE_INFINITY });
    for (const secret of [password, marketplaceKey, 'Token ', 'Authorization', 'password'])
      expect(everything).not.toContain(secret);
  });

  it('counts the retries of an Omnitron request on its span and in its metric', async () => {
    const { omnitron } = await mockRestOmnitron({ fetch: busyOnceFetch() });
    const before = await points('channel_app.omnitron.request.retries');

    await omnitron.getChannel();

    const finished = spans.getFinishedSpans();
    const [request] = finished.filter(named('channel_app.omnitron GET channels'));
    expect(request?.attributes).toMatchObject({
      'channel_app.retries': 1,
      'http.response.status_code': 200,
    });
    // Each attempt its own client span under it (next to the login's): the busy one failed with its
    // status, the second a resend.
    const attempts = finished.filter(
      (s) => s.kind === SpanKind.CLIENT && parentOf(s) === idOf(request) && named('GET ')(s),
    );
    expect(
      attempts.map((s) => [
        s.name,
        s.attributes['http.response.status_code'],
        s.attributes['error.type'],
        s.attributes['http.request.resend_count'],
      ]),
    ).toEqual([
      ['GET channels/{id}/', 503, '503', undefined],
      ['GET channels/{id}/', 200, undefined, 1],
    ]);
    const total = (list: { value: unknown }[]) => list.reduce((sum, p) => sum + Number(p.value), 0);
    expect(total(await points('channel_app.omnitron.request.retries')) - total(before)).toBe(1);
  });

  it('marks a failed run and a failed request with the error code, not its message', async () => {
    const { omnitron } = await mockRestOmnitron();
    const channel = new ScriptedChannel({ orders: [buildChannelOrder()], failOrdersAfter: 0 });
    const service = new OrderService({ omnitron, channel });

    await expect(service.fetchAndCreateOrder()).rejects.toMatchObject({ code: 'CHANNEL_ERROR' });

    const [flow] = spans.getFinishedSpans().filter(named('channel_app.flow'));
    expect(flow?.status).toEqual({ code: 2, message: 'CHANNEL_ERROR' });
    expect(flow?.attributes['error.type']).toBe('CHANNEL_ERROR');
    expect(flow?.events).toEqual([]);
  });
});
