import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// These tests read the built package (`npm test` builds first), the way users import it.
const require = createRequire(import.meta.url);
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url).href;

const mainNames = [
  'OrderService',
  'OmnitronIntegration',
  'ChannelIntegration',
  'ChannelAppError',
  'InvalidPayloadError',
  'UnknownLocationError',
  'CargoCompanyNotFoundError',
  'ProductNotFoundError',
  'DuplicateOrderError',
  'BatchTransitionError',
  'OmnitronError',
  'ChannelOrder',
  'ChannelCustomer',
  'ChannelAddress',
  'Order',
  'OrderItem',
  'Customer',
  'Address',
  'CargoCompany',
  'BatchRequest',
  'BatchRequestObject',
  'OrderBatchResult',
  'CancelOrder',
  'OrderItemUpdate',
  'ChannelCancellationRequest',
  'CancellationRequest',
  'ErrorReport',
  'ChannelReport',
  'SecretRedactor',
];
/** The SDK's own machinery: reachable inside the package, never from its entry points. */
const internalNames = [
  'BatchRequestTracker',
  'ErrorReporter',
  'describeError',
  'REDACTED',
  'canTransition',
  'isTerminal',
  'AWAITING_REMOTE_STATUSES',
  'toChannelAppError',
  'literalEnum',
  'addressHash',
  'OmnitronHttpClient',
];
const testingNames = [
  'InMemoryOmnitron',
  'OmnitronStore',
  'ScriptedChannel',
  'buildChannelOrder',
  'buildCancelOrder',
  'DEFAULT_SEED',
];

describe('the built package', () => {
  it('exports the public API from channel-app-sdk, as ESM and as CommonJS', async () => {
    const esm = await import(dist('index.js'));
    const cjs = require('../../dist/index.cjs');
    for (const name of mainNames) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
  });

  it('exports the test helpers from channel-app-sdk/testing, as ESM and as CommonJS', async () => {
    const esm = await import(dist('testing.js'));
    const cjs = require('../../dist/testing.cjs');
    for (const name of testingNames) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
  });

  it('exports the scheduler from channel-app-sdk/scheduler, as ESM and as CommonJS', async () => {
    const esm = await import(dist('scheduler.js'));
    const cjs = require('../../dist/scheduler.cjs');
    for (const name of ['FlowScheduler', 'RedisKeyedLock', 'RunLockLostError', 'summarize']) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
  });

  it('keeps the internals out of every entry point, as ESM and as CommonJS', async () => {
    const modules = {
      'ESM channel-app-sdk': await import(dist('index.js')),
      'CJS channel-app-sdk': require('../../dist/index.cjs'),
      'ESM channel-app-sdk/testing': await import(dist('testing.js')),
      'CJS channel-app-sdk/testing': require('../../dist/testing.cjs'),
      'ESM channel-app-sdk/scheduler': await import(dist('scheduler.js')),
      'CJS channel-app-sdk/scheduler': require('../../dist/scheduler.cjs'),
    };
    for (const [entry, module] of Object.entries(modules))
      for (const name of [...internalNames, 'RunLock'])
        expect(Object.keys(module), `${entry} exports ${name}`).not.toContain(name);
  });

  it('keeps the test helpers usable from CommonJS, where the vitest suite says it needs ESM', () => {
    const cjs = require('../../dist/testing.cjs');
    expect(new cjs.InMemoryOmnitron().store.orders.size).toBe(0);
    expect(() => cjs.describeChannelIntegration(() => null, {})).toThrow(/loads only as an ES module/);
  });

  it('packs only dist, README and LICENSE (and package.json, which npm always adds)', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { files: { path: string }[] }[];
    const tops = new Set(pack?.files.map((f) => f.path.split('/')[0]));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
  });

  it('shares one copy of the classes between the two entry points', async () => {
    const main = await import(dist('index.js'));
    const testing = await import(dist('testing.js'));
    const omnitron = new testing.InMemoryOmnitron();
    expect(omnitron).toBeInstanceOf(main.OmnitronIntegration);
    const error = await omnitron.getCargoCompanyByCode('NOPE').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(main.ChannelAppError);
  });
});
