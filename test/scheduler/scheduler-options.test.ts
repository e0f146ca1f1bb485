import { hostname } from 'node:os';
import type { ConnectionOptions } from 'bullmq';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidOptionsError } from '../../src/index.js';
import {
  type ChannelRegistration,
  type FlowRunner,
  FlowScheduler,
  type FlowSchedulerOptions,
  type RedisUrl,
} from '../../src/scheduler/index.js';
import { resolveSchedulerOptions } from '../../src/scheduler/scheduler-options.js';

// None of these needs Redis: options are checked when a scheduler is made, a channel registered or a run
// asked for, before any connection is opened.

const url = 'redis://127.0.0.1:6379/0';

/** The error `fn` throws, which the test expects to be an `InvalidOptionsError`. */
function invalid(fn: () => unknown): InvalidOptionsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return error as InvalidOptionsError;
  }
  throw new Error('expected an InvalidOptionsError, nothing was thrown');
}

const channel = (flows: ChannelRegistration['flows']): ChannelRegistration => ({
  id: 'acme-1',
  service: () => ({}) as FlowRunner,
  flows,
});

describe('FlowScheduler options', () => {
  it('refuses a connection whose url is not a string, naming connection.url', () => {
    const error = invalid(() => new FlowScheduler({ connection: { url: 42 } as never }));
    expect(error.problems).toEqual(['connection.url: must be a redis:// or rediss:// URL']);
  });

  it.each([
    ['a number', 42, 'connection: must be'],
    ['null', null, 'connection: must be'],
    ['a bare URL string', url, 'connection: must be'],
    ['an http URL', { url: 'http://127.0.0.1:6379' }, 'connection.url: must be a redis:// or rediss:// URL'],
    ['a url with other keys', { url, db: 1 }, 'connection: Unrecognized key: "db"'],
  ])('refuses %s as the connection, naming the field', (_, connection, problem) => {
    const error = invalid(() => new FlowScheduler({ connection: connection as never }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(problem);
  });

  it('accepts a redis:// URL, a rediss:// URL and BullMQ connection options', () => {
    expect(() => new FlowScheduler({ connection: { url } })).not.toThrow();
    expect(() => new FlowScheduler({ connection: { url: 'rediss://h:6380/1' } })).not.toThrow();
    expect(() => new FlowScheduler({ connection: { host: '127.0.0.1', port: 6379 } })).not.toThrow();
  });

  it('refuses a misspelt option, naming it', () => {
    const error = invalid(() => new FlowScheduler({ connection: { url }, concurency: 2 } as never));
    expect(error.problems).toEqual(['Unrecognized key: "concurency"']);
  });

  it('types its options from the schema: the connection is a RedisUrl or BullMQ options', () => {
    expectTypeOf<FlowSchedulerOptions['connection']>().toEqualTypeOf<RedisUrl | ConnectionOptions>();
    expectTypeOf<FlowSchedulerOptions['concurrency']>().toEqualTypeOf<number | undefined>();
  });
});

describe('a channel registration', () => {
  const scheduler = () => new FlowScheduler({ connection: { url } });

  it("refuses a misspelt flow option (concurency) when registered, against the flow's options", () => {
    const error = invalid(() =>
      scheduler().register(channel({ fetchAndCreateOrder: { every: 60_000, options: { concurency: 4 } } })),
    );
    expect(error.problems).toEqual(['flows.fetchAndCreateOrder.options: Unrecognized key: "concurency"']);
  });

  it('checks each flow against its own options: concurrency is an import option, not an update one', () => {
    expect(() =>
      scheduler().register(
        channel({
          fetchAndCreateOrder: { every: 60_000, options: { concurrency: 4, keepOutcomes: 'failures' } },
          updateOrders: { pattern: '*/5 * * * *', options: { isSync: false, limit: 10 } },
          fetchAndCreateCancel: { every: 60_000, options: { concurrency: 8 } },
        }),
      ),
    ).not.toThrow();
    const error = invalid(() =>
      scheduler().register(channel({ updateOrders: { every: 60_000, options: { concurrency: 4 } } })),
    );
    expect(error.problems).toEqual(['flows.updateOrders.options: Unrecognized key: "concurrency"']);
  });

  it('schedules reconcileOrders hourly over the last two days, and refuses a window that is not a date', () => {
    expect(() =>
      scheduler().register(
        channel({ reconcileOrders: { pattern: '17 * * * *', options: { lookBack: 2 * 24 * 60 * 60_000 } } }),
      ),
    ).not.toThrow();
    const error = invalid(() =>
      scheduler().register(
        channel({ reconcileOrders: { every: 3_600_000, options: { since: 'yesterday' } } }),
      ),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^flows\.reconcileOrders\.options\.since: /);
  });

  it('refuses a value out of range and an option JSON cannot carry', () => {
    const error = invalid(() =>
      scheduler().register(
        channel({
          fetchAndCreateOrder: { every: 60_000, options: { concurrency: 0 } },
          updateOrders: { every: 60_000, options: { logger: console } },
        }),
      ),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^flows\.fetchAndCreateOrder\.options\.concurrency: /);
    expect(error.problems[1]).toBe('flows.updateOrders.options: Unrecognized key: "logger"');
  });

  it('names the field of a wrong schedule rather than answering "Invalid input"', () => {
    const error = invalid(() =>
      scheduler().register(
        channel({
          fetchAndCreateOrder: { every: 'often' } as never,
          updateOrders: {} as never,
        }),
      ),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(/^flows\.fetchAndCreateOrder\.every: /);
    expect(error.problems[1]).toMatch(/^flows\.updateOrders\.pattern: /);
  });

  it('refuses an unknown key of the registration and a flow that cannot be scheduled', () => {
    const error = invalid(() =>
      scheduler().register({ ...channel({}), flow: {}, createOrder: undefined } as never),
    );
    expect(error.problems).toEqual(['Unrecognized keys: "flow", "createOrder"']);
    const flows = invalid(() => scheduler().register(channel({ createOrder: { every: 60_000 } } as never)));
    expect(flows.problems).toEqual(['flows: Unrecognized key: "createOrder"']);
  });
});

describe('FlowScheduler.runNow', () => {
  it("checks a one-off run's options against the flow before anything is queued", async () => {
    const scheduler = new FlowScheduler({ connection: { url } });
    // Not started: an options error comes first, so nothing reached Redis.
    await expect(scheduler.runNow('acme-1', 'fetchAndCreateOrder', { concurency: 2 })).rejects.toThrow(
      InvalidOptionsError,
    );
    await expect(scheduler.runNow('acme-1', 'createOrder' as never)).rejects.toThrow(/flow: must be one of/);
    await expect(scheduler.runNow('acme-1', 'updateOrders', { isSync: false })).rejects.toThrow(
      /call start\(\) first/,
    );
  });
});

describe('the resolved scheduler settings', () => {
  const connection = { url: 'redis://:redis-pass-7f3a@127.0.0.1:6379/0' };

  it('fill in every documented default', () => {
    const settings = resolveSchedulerOptions({ connection });
    expect(settings).toMatchObject({
      queueName: 'channel-app-flows',
      concurrency: 16,
      attempts: 3,
      backoffDelay: 30_000,
      lockTtl: 10_000,
      reconcileInterval: 30_000,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 1000 },
      limiter: undefined,
      metrics: undefined,
      name: undefined,
    });
    expect(settings.owner).toBe(`${hostname()}:${process.pid}`);
    // Commands wait for Redis, as BullMQ's blocking commands require.
    expect(settings.connection).toMatchObject({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null });
  });

  it('keep what was given, keepFailed as the count of failed jobs kept, and name the owner after name', () => {
    const settings = resolveSchedulerOptions({
      connection,
      queueName: 'flows-b',
      concurrency: 4,
      keepFailed: 20,
      removeOnComplete: { age: 3600 },
      name: 'worker-7',
    });
    expect(settings).toMatchObject({
      queueName: 'flows-b',
      concurrency: 4,
      removeOnComplete: { age: 3600 },
      removeOnFail: { count: 20 },
      name: 'worker-7',
      owner: `worker-7:${process.pid}`,
    });
    expect(resolveSchedulerOptions({ connection, removeOnFail: false }).removeOnFail).toBe(false);
  });

  it('strip the given secrets and the Redis password', () => {
    const { redactor } = resolveSchedulerOptions({ connection, secrets: ['mk-api-key-91'] });
    expect(redactor.redactText('redis-pass-7f3a and mk-api-key-91')).not.toMatch(
      /redis-pass-7f3a|mk-api-key-91/,
    );
  });
});
