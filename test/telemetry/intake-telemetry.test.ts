import { inspect } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import type { Telemetry } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, OrderService } from '../../src/index.js';
import { observeQueue } from '../../src/telemetry/queue-telemetry.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';
import {
  queueName,
  redisUrl,
  testHandler,
  testWorker,
  until,
  webhookRequest,
} from '../intake/intake-support.js';
import { idOf, installOtel, named, parentOf, recordingBullmqTelemetry } from './otel-harness.js';

const { spans, points } = installOtel();

const finished = (prefix: string) => spans.getFinishedSpans().filter(named(prefix));

describe.skipIf(!redisUrl)('webhook intake telemetry', () => {
  it('one trace from the webhook call to its order: the call, the job, the flow, and the lag', async () => {
    const name = queueName();
    const handler = testHandler({ queueName: name });
    const omnitron = new InMemoryOmnitron();
    const service = new OrderService({ omnitron, channel: new ScriptedChannel() });
    const order = buildChannelOrder();
    const jobId = `acme-1:order:${order.remoteId}`;

    expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    const [call] = finished('channel_app.webhook receive');
    expect(call?.kind).toBe(SpanKind.SERVER);
    expect(call?.attributes).toEqual({
      'channel_app.channel.id': 'acme-1',
      'http.request.method': 'POST',
      'http.response.status_code': 202,
      'channel_app.webhook.outcome': 'accepted',
      'channel_app.webhook.kind': 'order',
      'channel_app.webhook.job_id': jobId,
    });
    // The call's trace context travels with the job, in W3C form.
    const stored = await handler.queue.getJob(jobId);
    expect(stored?.data.traceContext?.traceparent).toBe(`00-${call?.spanContext().traceId}-${idOf(call)}-01`);

    testWorker({ queueName: name, service });
    await until(async () => (await handler.queue.getJobState(jobId)) === 'completed');
    await until(() => finished('channel_app.webhook process').length === 1);
    const [job] = finished('channel_app.webhook process');
    expect(job?.kind).toBe(SpanKind.CONSUMER);
    expect(job?.spanContext().traceId).toBe(call?.spanContext().traceId);
    expect(parentOf(job)).toBe(idOf(call));
    expect(job?.attributes).toMatchObject({
      'channel_app.channel.id': 'acme-1',
      'channel_app.webhook.kind': 'order',
      'channel_app.webhook.job_id': jobId,
      'channel_app.webhook.attempt': 1,
      'channel_app.item.status': 'created',
      'channel_app.webhook.outcome': 'done',
    });
    const [flow] = finished('channel_app.flow createOrder');
    expect(parentOf(flow)).toBe(idOf(job));

    const lag = await points('channel_app.webhook.lag');
    expect(lag.map((p) => [p.attributes, (p.value as { count: number }).count])).toEqual([
      [{ 'channel_app.webhook.kind': 'order' }, 1],
    ]);

    // No personal data or body value in any span: the customer's e-mail and name, the amount.
    const everything = inspect(spans.getFinishedSpans(), { depth: Number.POSITIVE_INFINITY });
    for (const value of [order.customer.email, order.customer.lastName, '150.00', 'x-acme-signature'])
      expect(everything).not.toContain(value);
  });

  it('each refusal is on its span: its status and what it means; a 503 marks the span failed', async () => {
    const handler = testHandler();
    const order = buildChannelOrder();
    await handler(webhookRequest({ type: 'order', data: order }, { signature: 'sha256=00' }));
    await handler(webhookRequest({ type: 'order', data: { ...order, items: [] } }));
    await handler.close();
    await handler(webhookRequest({ type: 'order', data: order }));

    const calls = finished('channel_app.webhook receive');
    expect(
      calls.map((s) => [
        s.attributes['http.response.status_code'],
        s.attributes['channel_app.webhook.outcome'],
        s.status.code,
      ]),
    ).toEqual([
      [401, 'unauthenticated', 0],
      [422, 'invalid', 0],
      [503, 'not_stored', 2],
    ]);
    expect(calls[2]?.attributes['error.type']).toBe('503');
  });

  it('reports the waiting jobs of a queue and the age of the oldest, read from Redis when collected', async () => {
    const handler = testHandler();
    const before = Date.now();
    for (const order of [buildChannelOrder(), buildChannelOrder()])
      expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    // A queue whose Redis is away: no value for it but a read error, and the other queues are still read.
    let reads = 0;
    const refuse = () => {
      reads += 1;
      return Promise.reject(new Error('ECONNREFUSED'));
    };
    const stop = observeQueue({ name: 'unreachable', getJobCounts: refuse, getWaiting: refuse });
    const elapsed = (Date.now() - before) / 1000;

    // The SDK keeps the last value of queues of earlier tests: only this test's queues are looked at.
    const mine = async (metric: string) =>
      (await points(metric)).filter((p) =>
        [handler.queue.name, 'unreachable'].includes(String(p.attributes['messaging.destination.name'])),
      );
    const queue = { 'messaging.destination.name': handler.queue.name };
    expect(await mine('channel_app.queue.depth')).toEqual([{ attributes: queue, value: 2 }]);
    const ages = await mine('channel_app.queue.oldest_age');
    expect(ages.map((p) => p.attributes)).toEqual([queue]);
    expect(ages[0]?.value).toBeGreaterThan(0);
    expect(ages[0]?.value).toBeLessThanOrEqual(elapsed + 1);
    expect(reads).toBeGreaterThan(0);
    // One per collection that tried it (each look above collected once).
    const errors = await mine('channel_app.queue.read_errors');
    expect(errors.map((p) => p.attributes)).toEqual([{ 'messaging.destination.name': 'unreachable' }]);
    expect(errors[0]?.value).toBe(reads / 2);
    // A queue no longer observed is no longer read.
    stop();
    const readsBefore = reads;
    await points('channel_app.queue.depth');
    expect(reads).toBe(readsBefore);
  });

  it("hands a BullMQ Telemetry to BullMQ's queue and worker, which then trace their own work", async () => {
    const { telemetry, started } = recordingBullmqTelemetry();
    const name = queueName();
    const handler = testHandler({ queueName: name, telemetry });
    const omnitron = new InMemoryOmnitron();
    const service = new OrderService({ omnitron, channel: new ScriptedChannel() });
    testWorker({ queueName: name, service, telemetry });
    const order = buildChannelOrder();

    expect((await handler(webhookRequest({ type: 'order', data: order }))).status).toBe(202);
    await until(
      async () => (await handler.queue.getJobState(`acme-1:order:${order.remoteId}`)) === 'completed',
    );

    expect(started).toEqual(expect.arrayContaining([`add ${name}.acme-1:order`, `process ${name}`]));
    // The SDK's own spans are still there.
    await until(() => finished('channel_app.webhook process').length === 1);
    expect(() => testHandler({ telemetry: {} as Telemetry })).toThrow(InvalidOptionsError);
  });
});
