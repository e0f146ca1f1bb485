import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CargoCompanyNotFoundError } from '../../src/errors/index.js';
import { silentLogger } from '../../src/foundation/logger.js';
import { SecretRedactor } from '../../src/foundation/redact.js';
import { BatchScope, type ScopeContext } from '../../src/orders/run/batch-scope.js';
import { RunLedger } from '../../src/orders/run/run-ledger.js';
import { InMemoryOmnitron, OmnitronStore } from '../../src/testing/index.js';

/** A run's settings: every outcome kept, successes not reported. */
const settings = {
  isSuccessLog: false,
  signal: new AbortController().signal,
  onItem: undefined,
  logger: silentLogger,
  keepOutcomes: 'all' as const,
  maxOutcomes: Number.POSITIVE_INFINITY,
  closeStaleBatches: false,
};

function setup() {
  const store = new OmnitronStore();
  const context: ScopeContext = {
    flow: 'fetchAndCreateOrder',
    omnitron: new InMemoryOmnitron({ store }),
    redactor: new SecretRedactor([]),
    logger: silentLogger,
    signal: settings.signal,
    isSuccessLog: false,
    commitLockWait: 0,
  };
  return { store, context, ledger: new RunLedger('fetchAndCreateOrder', settings) };
}

/** V8's collector, reached without starting the test process with `--expose-gc`. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('RunLedger', () => {
  it('lists every batch of the run with its final status, and counts reports sent after a batch ended', async () => {
    const { store, context, ledger } = setup();
    const first = await BatchScope.create(context, ledger, 'order');
    await first.tracker.done();
    const second = await BatchScope.create(context, ledger, 'order');
    const third = await BatchScope.create(context, ledger, 'order');
    await third.tracker.fail();
    // A failure reported under the first batch after it ended and the run moved on: still counted.
    await first.failed('CreateOrder', { key: 'ORDER-1', error: new CargoCompanyNotFoundError('NOPE') });

    const result = ledger.result(first);

    const ids = [...store.batchRequests.keys()];
    expect(result.batchRequests.map((b) => [b.id, b.status])).toEqual([
      [ids[0], 'done'],
      [ids[1], 'initialized'],
      [ids[2], 'fail'],
    ]);
    expect(result.batchRequests.map((b) => b.localBatchId)).toEqual(
      [...store.batchRequests.values()].map((b) => b.localBatchId),
    );
    expect(result.batchRequest).toEqual(result.batchRequests[0]);
    expect(result.reports).toEqual({ sent: 1, failedToSend: 0 });
    expect(store.errorReports).toHaveLength(1);
    expect(result.counts.failed).toBe(1);
    expect(second.tracker.isFinished).toBe(false);
  });

  it('lets a finished batch scope go once the run adds the next one, and keeps one still open', async () => {
    const gc = collector();
    const { context, ledger } = setup();
    const scopes = await (async () => {
      const finished = await BatchScope.create(context, ledger, 'order');
      await finished.tracker.done();
      const open = await BatchScope.create(context, ledger, 'order');
      const next = await BatchScope.create(context, ledger, 'order');
      return { finished: new WeakRef(finished), open: new WeakRef(open), last: next };
    })();
    // WeakRef targets stay alive until the job that made them ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();

    expect(scopes.finished.deref()).toBeUndefined();
    expect(scopes.open.deref()).toBeDefined();
    expect(ledger.result(scopes.last).batchRequests.map((b) => b.status)).toEqual([
      'done',
      'initialized',
      'initialized',
    ]);
  });
});
