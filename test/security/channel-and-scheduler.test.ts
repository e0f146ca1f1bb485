import { inspect } from 'node:util';
import { Job, type Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  type ChannelCallContext,
  ChannelError,
  type ChannelItem,
  OrderService,
  SecretRedactor,
  UnexpectedError,
} from '../../src/index.js';
import { type FlowFailure, type FlowRunner, FlowScheduler } from '../../src/scheduler/index.js';
import {
  buildCancellationRequest,
  buildChannelOrder,
  type ChannelScript,
  InMemoryOmnitron,
  ScriptedChannel,
} from '../../src/testing/index.js';
import { redisUrl, testScheduler } from '../scheduler/redis-schedulers.js';
import { capturingLogger, forEachBackend } from '../support.js';

/** A marketplace API key the service is told about (`secrets`). */
const API_KEY = 'mk-live-7f3a9c2e1b5d4f60';

/**
 * What a marketplace HTTP client throws: the key in its message, in its cause, and in request config
 * nobody would think to redact (`config.headers['x-api-key']`, as axios keeps it).
 */
function marketplaceError(): Error {
  const cause = new Error(`socket hang up while sending x-api-key=${API_KEY}`);
  const error = new Error(
    `Request failed with status 401 for https://api.market.example/orders?key=${API_KEY}`,
    {
      cause,
    },
  ) as Error & Record<string, unknown>;
  error.config = { headers: { 'x-api-key': API_KEY, Accept: 'application/json' }, url: '/orders' };
  error.response = { status: 401, data: { message: `bad key ${API_KEY}` } };
  error.code = 'ERR_BAD_REQUEST';
  return error;
}

/** Every rendering of a value a user might look at: inspect (all depths), JSON, message and stack. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // Not JSON: inspect covers it.
  }
  let current: unknown = value;
  for (let depth = 0; depth < 10 && current instanceof Error; depth += 1) {
    out.push(current.message, current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  return out;
}

function expectNoKey(what: string, value: unknown): void {
  for (const text of renderings(value)) expect(text, what).not.toContain(API_KEY);
}

/** A marketplace whose calls fail with {@link marketplaceError}: acknowledgements always, the order stream when told. */
class ThrowingChannel extends ScriptedChannel {
  constructor(
    script: ChannelScript,
    readonly ordersThrow: boolean,
  ) {
    super(script);
  }
  override async *getOrders(context: ChannelCallContext): AsyncIterable<ChannelItem<never>> {
    yield* super.getOrders(context);
    if (this.ordersThrow) throw marketplaceError();
  }
  override async acknowledgeOrders(): Promise<void> {
    throw marketplaceError();
  }
}

describe('ChannelError and UnexpectedError keep only redacted snapshots', () => {
  it('redacts a key the redactor knows from message, stack, cause chain and extra properties', () => {
    const redactor = new SecretRedactor([API_KEY]);
    const channelError = new ChannelError('getOrders', { cause: marketplaceError(), redactor });
    expectNoKey('ChannelError', channelError);
    expect(channelError.message).toContain('Request failed with status 401');
    expect(channelError.cause).toMatchObject({ name: 'Error', code: 'ERR_BAD_REQUEST' });
    // The adapter's stack is kept (redacted), for debugging the adapter.
    expect((channelError.cause as Error).stack).toContain('marketplaceError');
    expect(channelError.cause).not.toHaveProperty('config');

    const unexpected = UnexpectedError.wrap(marketplaceError(), redactor);
    expectNoKey('UnexpectedError', unexpected);
    expect(unexpected.code).toBe('UNEXPECTED');
  });

  it('never keeps the thrown object, even without a redactor', () => {
    const error = new ChannelError('getOrders', { cause: marketplaceError() });
    // Without being told the key, the message still shows it, but the headers object is gone.
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain("'x-api-key'");
  });

  it('describes a hostile thrown value without throwing', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(new ChannelError('getOrders', { cause: hostile }).code).toBe('CHANNEL_ERROR');
    expect(UnexpectedError.wrap(hostile).code).toBe('UNEXPECTED');
  });
});

forEachBackend((setup) => {
  describe('a channel adapter that throws an error carrying a key listed in `secrets`', () => {
    it('leaks it nowhere a user can see: the thrown error, logs and error reports', async () => {
      const env = await setup();
      const logs: string[] = [];
      const channel = new ThrowingChannel({}, true);
      const service = new OrderService({
        omnitron: env.omnitron,
        channel,
        logger: capturingLogger(logs),
        secrets: [API_KEY],
      });

      const error = await service.fetchAndCreateOrder().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ChannelError);
      expectNoKey('the flow error', error);
      expect(logs.some((l) => l.includes('flow failed'))).toBe(true);
      for (const line of [...logs, ...env.logs]) expect(line).not.toContain(API_KEY);
      const reports = env.store.errorReports;
      expect(reports.length).toBeGreaterThan(0);
      expectNoKey('error reports', reports);
    });

    it('leaks it nowhere from a failed acknowledgement or a per-item adapter error', async () => {
      const order = buildChannelOrder();
      const env = await setup();
      const logs: string[] = [];
      const channel = new ThrowingChannel(
        {
          orders: [order],
          updateCancellationRequest: () => {
            throw marketplaceError();
          },
        },
        false,
      );
      const service = new OrderService({
        omnitron: env.omnitron,
        channel,
        logger: capturingLogger(logs),
        secrets: [API_KEY],
      });

      const imported = await service.fetchAndCreateOrder();
      expect(imported.counts.created).toBe(1);
      expect(logs.some((l) => l.includes('acknowledge failed'))).toBe(true);

      channel.script.cancellationRequests = [buildCancellationRequest(order)];
      await service.fetchAndCreateCancellationRequests();
      for (const request of env.store.cancellationRequests.values())
        env.store.setCancellationRequestStatus(request.id, 'approved');
      const updated = await service.updateCancellationRequests();

      const failedItems = updated.items.filter((i) => i.error);
      expect(failedItems).toHaveLength(1);
      expect(failedItems[0]?.error).toBeInstanceOf(ChannelError);
      expectNoKey('FlowResult items', [imported.items, updated.items]);
      for (const item of failedItems) expectNoKey('item error', item.error);
      for (const line of [...logs, ...env.logs]) expect(line).not.toContain(API_KEY);
      expectNoKey('error reports', env.store.errorReports);
    });
  });
});

describe.skipIf(!redisUrl)(
  'the scheduler with a flow that fails with a key in its error (real Redis)',
  () => {
    const cases: [string, () => FlowRunner][] = [
      [
        'an OrderService whose adapter throws (clean at the source)',
        () =>
          new OrderService({
            omnitron: new InMemoryOmnitron(),
            channel: new ThrowingChannel({}, true),
            secrets: [API_KEY],
          }),
      ],
      [
        'a custom runner that throws the raw error (cleaned by the scheduler)',
        () =>
          ({
            fetchAndCreateOrder: async () => {
              throw marketplaceError();
            },
          }) as unknown as FlowRunner,
      ],
    ];

    for (const [name, runner] of cases) {
      it(`keeps it out of logs, onFailed and what BullMQ stores: ${name}`, async () => {
        const logs: string[] = [];
        const failures: FlowFailure[] = [];
        const scheduler = testScheduler({
          attempts: 2,
          logger: capturingLogger(logs),
          onFailed: (failure) => failures.push(failure),
          secrets: [API_KEY],
        }).register({ id: 'acme', service: runner, flows: {} });
        await scheduler.start();
        const job = await scheduler.runNow('acme', 'fetchAndCreateOrder', { isSuccessLog: true });
        const start = Date.now();
        while (failures.length === 0 && Date.now() - start < 15_000)
          await new Promise((resolve) => setTimeout(resolve, 20));

        expect(failures).toHaveLength(1);
        expectNoKey('onFailed argument', failures[0]);
        expectNoKey('onFailed error', failures[0]?.error);
        for (const line of logs) expect(line).not.toContain(API_KEY);
        expect(logs.some((l) => l.startsWith('error flow failed on its last attempt'))).toBe(true);

        const queue = scheduler.queue as Queue;
        const stored = await Job.fromId(queue, job.id ?? '');
        expect(stored?.failedReason).toBeTruthy();
        expect(stored?.failedReason).not.toContain(API_KEY);
        expect(stored?.stacktrace?.length).toBe(2);
        for (const trace of stored?.stacktrace ?? []) expect(trace).not.toContain(API_KEY);
        expectNoKey('job data', stored?.data);
        const failed = await queue.getFailed();
        expectNoKey(
          'queue.getFailed()',
          failed.map((j) => j.toJSON()),
        );
        // Everything BullMQ keeps for the job, read raw from Redis.
        const raw = await (await queue.client).hgetall(`bull:${queue.name}:${job.id}`);
        expect(JSON.stringify(raw)).not.toContain(API_KEY);
      });
    }

    it('refuses flow options that hold a secret, since they are stored in Redis', async () => {
      const scheduler = new FlowScheduler({ connection: { url: redisUrl as string }, secrets: [API_KEY] });
      expect(() =>
        scheduler.register({
          id: 'acme',
          service: () => ({}) as FlowRunner,
          flows: { fetchAndCreateOrder: { every: 60_000, options: { note: API_KEY } } },
        }),
      ).toThrow(/stored in Redis/);
    });
  },
);
