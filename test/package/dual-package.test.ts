import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AcknowledgeOrdersInput, ChannelItem, SendUpdatedOrdersResult } from '../../src/index.js';

// A program can load both builds of the package: an adapter compiled to CommonJS (`require`) handed to an
// `OrderService` imported as ESM. These tests mix the two built copies (`npm test` builds first), the way
// such a program does; the sources give them their types only.
const require = createRequire(import.meta.url);
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url).href;

type Main = typeof import('../../src/index.js');
type Testing = typeof import('../../src/testing/index.js');
type Scheduler = typeof import('../../src/scheduler/index.js');
type ChannelOrderInput = ReturnType<Testing['buildChannelOrder']>;

let esm: Main;
let esmTesting: Testing;
let esmScheduler: Scheduler;
const cjs: Main = require('../../dist/index.cjs');
const cjsTesting: Testing = require('../../dist/testing.cjs');
const cjsScheduler: Scheduler = require('../../dist/scheduler.cjs');

beforeAll(async () => {
  esm = await import(dist('index.js'));
  esmTesting = await import(dist('testing.js'));
  esmScheduler = await import(dist('scheduler.js'));
});

/** A marketplace adapter written against the CommonJS build, as a `require`-based project writes it. */
function commonJsAdapter(orders: ChannelOrderInput[]) {
  class MarketplaceChannel extends cjs.ChannelIntegration {
    readonly acknowledged: string[] = [];

    async *getOrders(): AsyncIterable<ChannelItem<ChannelOrderInput>> {
      for (const data of orders) yield { data };
    }

    async sendUpdatedOrders(): Promise<SendUpdatedOrdersResult> {
      return { status: 'done', results: [] };
    }

    override async acknowledgeOrders({ orders: done }: AcknowledgeOrdersInput): Promise<void> {
      this.acknowledged.push(...done.map((o) => o.remoteId));
    }
  }
  return new MarketplaceChannel();
}

describe('an adapter built on the CommonJS package, run by the ESM one', () => {
  it('is accepted by the ESM OrderService and imports orders into the ESM InMemoryOmnitron', async () => {
    const order = esmTesting.buildChannelOrder();
    const channel = commonJsAdapter([order]);
    const omnitron = new esmTesting.InMemoryOmnitron();
    const service = new esm.OrderService({ omnitron, channel });

    const result = await service.fetchAndCreateOrder();

    expect(result.counts).toMatchObject({ fetched: 1, created: 1, failed: 0 });
    expect(result.batchRequest?.status).toBe('done');
    expect([...omnitron.store.orders.values()].map((o: { number: string }) => o.number)).toEqual([
      order.number,
    ]);
    // The optional method it overrides is called; the one it does not is refused by name.
    expect(channel.acknowledged).toEqual([order.remoteId]);
    const refused = await service.fetchAndCreateCancel().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(esm.NotSupportedError);
    expect((refused as Error).message).toContain('getCancelledOrders');
  });

  it('runs the ESM OrderService on the CommonJS InMemoryOmnitron, its errors kept typed', async () => {
    const good = esmTesting.buildChannelOrder();
    const unknownCargo = esmTesting.buildChannelOrder({ cargoCompany: 'NOPE' });
    const omnitron = new cjsTesting.InMemoryOmnitron();
    const channel = new esmTesting.ScriptedChannel({ orders: [good, unknownCargo] });

    const result = await new esm.OrderService({ omnitron, channel }).fetchAndCreateOrder();

    expect(result.counts).toMatchObject({ fetched: 2, created: 1, failed: 1 });
    const failed = result.items.find((i: { status: string }) => i.status === 'failed');
    // Thrown by the CommonJS store, recognised by the ESM flow rather than wrapped as UNEXPECTED.
    expect(failed?.error).toBeInstanceOf(cjs.CargoCompanyNotFoundError);
    expect(failed?.error).toBeInstanceOf(esm.CargoCompanyNotFoundError);
    expect(failed?.error?.code).toBe('CARGO_COMPANY_NOT_FOUND');
  });

  it('still refuses what is not an integration, with the same messages', () => {
    class NotAnAdapter {
      async *getOrders() {}
    }
    const error = (() => {
      try {
        new esm.OrderService({
          omnitron: { getChannel() {} } as never,
          channel: new NotAnAdapter() as never,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(esm.InvalidOptionsError);
    expect((error as { problems: string[] }).problems).toEqual([
      'omnitron: must be an OmnitronIntegration (such as OmnitronRestIntegration)',
      'channel: must be an instance of your ChannelIntegration subclass',
    ]);
  });
});

describe('instanceof across the two builds', () => {
  it('recognises an error of either build as a ChannelAppError of the other', async () => {
    const fromCjs = await new cjsTesting.InMemoryOmnitron()
      .getCargoCompanyByCode('NOPE')
      .catch((e: unknown) => e);
    expect(fromCjs).toBeInstanceOf(esm.ChannelAppError);
    expect(fromCjs).toBeInstanceOf(esm.CargoCompanyNotFoundError);
    expect(fromCjs).toBeInstanceOf(Error);
    const fromEsm = new esm.OmnitronAuthError('refused');
    expect(fromEsm).toBeInstanceOf(cjs.ChannelAppError);
    expect(fromEsm).toBeInstanceOf(cjs.OmnitronError);
    expect(fromEsm).toBeInstanceOf(cjs.OmnitronAuthError);
    expect(new cjsScheduler.RunLockLostError('1:flow', 'gone')).toBeInstanceOf(esm.ChannelAppError);
  });

  it('recognises the integration classes of either build', () => {
    expect(new cjsTesting.InMemoryOmnitron()).toBeInstanceOf(esm.OmnitronIntegration);
    expect(new esmTesting.InMemoryOmnitron()).toBeInstanceOf(cjs.OmnitronIntegration);
    expect(new esmTesting.ScriptedChannel()).toBeInstanceOf(cjs.ChannelIntegration);
    expect(commonJsAdapter([])).toBeInstanceOf(esm.ChannelIntegration);
  });

  it('keeps subclass checks exact: a brand matches only the same class', () => {
    const payload = new cjs.InvalidPayloadError('channel', 'channel order', []);
    expect(payload).not.toBeInstanceOf(esm.OmnitronError);
    expect(payload).not.toBeInstanceOf(esm.UnexpectedError);
    expect(new cjs.ChannelAppError('UNEXPECTED', 'base only')).not.toBeInstanceOf(esm.InvalidPayloadError);
    expect(new cjs.OmnitronError('outage')).not.toBeInstanceOf(esm.OmnitronAuthError);
    expect(new cjsTesting.InMemoryOmnitron()).not.toBeInstanceOf(esm.ChannelIntegration);
    expect(commonJsAdapter([])).not.toBeInstanceOf(esm.OmnitronIntegration);
  });

  it('never accepts unrelated values', () => {
    const unrelated = [
      new Error('plain'),
      Object.assign(new Error('look-alike'), { name: 'ChannelAppError', code: 'UNEXPECTED' }),
      {},
      Object.create(null),
      null,
      undefined,
      'ChannelAppError',
      42,
      () => {},
    ];
    for (const [index, value] of unrelated.entries()) {
      for (const Class of [
        esm.ChannelAppError,
        cjs.ChannelAppError,
        esm.ChannelIntegration,
        esm.OmnitronIntegration,
      ]) {
        expect(value instanceof Class, `unrelated[${index}] instanceof ${Class.name}`).toBe(false);
      }
    }
  });

  it("checks a user's own subclass as usual", () => {
    class OwnError extends esm.ChannelAppError {}
    const own = new OwnError('UNEXPECTED', 'mine');
    expect(own.name).toBe('OwnError');
    expect(own).toBeInstanceOf(esm.ChannelAppError);
    expect(own).toBeInstanceOf(cjs.ChannelAppError);
    // An SDK error of either build is not the user's class.
    expect(new cjs.ChannelAppError('UNEXPECTED', 'sdk')).not.toBeInstanceOf(OwnError);
    expect(new esm.ChannelAppError('UNEXPECTED', 'sdk')).not.toBeInstanceOf(OwnError);
  });
});

/** Constructor arguments for every exported error class: the least each one needs. */
const errorArgs: Record<string, unknown[]> = {
  AmbiguousMappingError: ['order', 'R-1', [1, 2]],
  BatchTransitionError: [1, 'initialized', 'done', 'not allowed'],
  CargoCompanyNotFoundError: ['NOPE'],
  ChannelAppError: ['UNEXPECTED', 'message'],
  ChannelError: ['getOrders'],
  ChannelInactiveError: [1],
  CreateFateUnknownError: ['order ORD-1', 0],
  DuplicateOrderError: ['ORD-1'],
  FlowAbortedError: ['fetchAndCreateOrder'],
  InvalidOptionsError: ['OrderService', ['bad']],
  InvalidPayloadError: ['channel', 'channel order', []],
  LockTimeoutError: ['a lock', 10],
  MappingNotFoundError: ['order', { remoteId: 'R-1' }],
  NotSupportedError: ['checkOrders', 'MyChannel'],
  OmnitronAuthError: ['message'],
  OmnitronConflictError: ['message'],
  OmnitronError: ['message'],
  OmnitronNetworkError: ['message'],
  OmnitronNotFoundError: ['message'],
  OmnitronResponseError: ['message'],
  OmnitronServerError: ['message'],
  OmnitronValidationError: ['message'],
  OrderMismatchError: ['ORD-1', ['amount: marketplace 1.00, Omnitron 2.00']],
  ProductNotFoundError: [['PROD-9']],
  ReasonNotMappedError: ['damaged', 'toOmnitron'],
  RemoteRejectedError: ['order ORD-1', 'refused'],
  RunLockLostError: ['1:fetchAndCreateOrder', 'gone'],
  UnexpectedError: [new TypeError('boom')],
  UnknownLocationError: ['city', 'Atlantis', 'TR'],
  VolatileRedisError: [['appendonly is "no"']],
};

/** Any class that builds an `Error`, whatever its arguments. */
type ErrorClass = new (...args: unknown[]) => Error;

/** The exported classes of a module that extend `Error`. */
function errorClasses(module: object): [string, ErrorClass][] {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  );
}

describe('error names in the built package', () => {
  const builds = () =>
    [
      ['ESM', [esm, esmTesting, esmScheduler]],
      ['CommonJS', [cjs, cjsTesting, cjsScheduler]],
    ] as const;

  it("are each class's exported name, on the class and on its instances, in both builds", () => {
    for (const [build, modules] of builds()) {
      const classes = modules.flatMap(errorClasses);
      // Every exported error class is in errorArgs (a new one must be added), so every name is checked.
      const names = new Set(classes.map(([name]) => name).filter((name) => name !== 'ErrorSnapshot'));
      expect([...names].sort(), build).toEqual(Object.keys(errorArgs).sort());
      for (const [name, ErrorClass] of classes) {
        expect(ErrorClass.name, `${build} ${name}.name`).toBe(name);
        // A snapshot takes the name of the error it copies, by design: only its class name is checked.
        if (name === 'ErrorSnapshot') continue;
        const error = new ErrorClass(...(errorArgs[name] ?? []));
        expect(error.name, `${build} new ${name}().name`).toBe(name);
        expect(String(error).startsWith(`${name}: `), `${build} String(new ${name}())`).toBe(true);
      }
    }
  });
});
