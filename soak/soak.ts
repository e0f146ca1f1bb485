import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createMockOmnitronServer, type MockOmnitronServer } from '../src/testing/index.js';
import { checkInvariants } from './invariants.js';
import { Marketplace } from './marketplace.js';
import { serveMarketplace } from './marketplace-server.js';
import { Merchant } from './merchant.js';
import { Random } from './random.js';
import type { Scenario } from './scenarios.js';
import { WebhookFeed } from './webhook-feed.js';
import { WorkerPool } from './worker-pool.js';
import type { WorkerSettings } from './worker-settings.js';

/** How one soak runs. */
export interface SoakOptions {
  scenario: Scenario;
  seed: number;
  /** How long the marketplace and the merchant are active, in ms. */
  activeFor: number;
  /** Worker processes (default 3). */
  workers?: number;
  /** A worker is SIGKILLed every `killEvery[0]`–`killEvery[1]` ms (seeded); `null` kills none. */
  killEvery?: readonly [number, number] | null;
  /** The longest wait for the flows to settle after activity stops, in ms (default 60 000). */
  settleFor?: number;
  redisUrl: string;
  /**
   * Empty the Redis database first (FLUSHDB). Only for a database the soak has to itself; without it the
   * soak keeps to queues and lock keys of its own, and removes its queues at the end.
   */
  flush?: boolean;
  /**
   * The share of order status updates the marketplace answers with a job, collected later by
   * `getOrderBatchRequests` (default 0.5); 0 answers every one at once.
   */
  asyncShare?: number;
  /** Called with a line of progress now and then. */
  progress?: (line: string) => void;
}

/** What a soak did and found. */
export interface SoakReport {
  scenario: string;
  seed: number;
  figures: Record<string, number>;
  faults: Record<string, number>;
  behaviour: Record<string, number>;
  /** How long the flows took to settle after activity stopped, in ms, or `null` if they never did. */
  settledAfter: number | null;
  violations: string[];
  /** The last error lines the workers logged, for diagnosis. */
  workerErrors: string[];
}

const TICK = 250;
/** The mock's page size: small, so every list the flows read spans pages. */
const PAGE_SIZE = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One soak of the whole app on one scenario: the mock Omnitron (with the scenario's switches and faults), a
 * seeded marketplace served over HTTP, a merchant in Omnitron, worker processes running every flow on the
 * FlowScheduler and the webhook intake (SIGKILLed and started again at seeded moments), then a quiet phase
 * until the flows settle, and the invariant check. Everything it started is stopped before it returns.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { scenario, seed, redisUrl } = options;
  const progress = options.progress ?? (() => undefined);
  const random = new Random(seed);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  // Names of its own, so a soak beside other users of the database (the test suite) touches nothing of theirs.
  const names = `soak-${scenario.name}-${seed}-${Date.now().toString(36)}`;
  const queues = { flows: `${names}-flows`, webhooks: `${names}-webhooks` };
  const closers: (() => Promise<unknown>)[] = [
    async () => {
      for (const name of Object.values(queues)) {
        const queue = new Queue(name, { connection: { url: redisUrl } as never });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
    },
    async () => redis.quit(),
  ];
  try {
    // A fresh Redis when asked: no queue, schedule, lock or dedup key of an earlier soak.
    if (options.flush) await redis.flushdb();
    const server = await createMockOmnitronServer({
      port: await freePort(),
      maxPageSize: PAGE_SIZE,
      faultSeed: random.seed(),
      ...scenario.server,
    });
    closers.unshift(() => server.close());
    const market = new Marketplace(random, {
      prefix: `S${seed}`,
      customers: 12,
      ...(options.asyncShare === undefined ? {} : { asyncShare: options.asyncShare }),
    });
    const marketServer = await serveMarketplace(market);
    closers.unshift(() => marketServer.close());
    const feed = new WebhookFeed(redisUrl, queues.webhooks);
    closers.unshift(() => feed.close());
    const merchant = new Merchant(server.store, random);
    const settings: WorkerSettings = {
      redisUrl,
      queueName: queues.flows,
      webhookQueue: queues.webhooks,
      lockPrefix: `${names}:lock`,
      omnitronUrl: server.url,
      ...server.credentials,
      marketplaceUrl: marketServer.url,
      pageSize: scenario.pageSize ?? PAGE_SIZE,
      timeout: 2000,
      staleBatchAfter: 20_000,
      every: 1000,
      lockTtl: 3000,
    };
    const pool = new WorkerPool(settings, options.workers ?? 3);
    closers.unshift(() => pool.stop());
    await pool.start();
    progress(`${scenario.name}: ${pool.size} workers ready, Omnitron at ${server.url}`);
    // Faults only once the workers are up: starting them is not what is being soaked.
    for (const rule of scenario.faults ?? []) server.inject(rule);

    await activity(options, { random, market, merchant, feed, pool, progress });
    progress(`${scenario.name}: activity over; waiting for the flows to settle`);
    const settledAfter = await settle(
      options.settleFor ?? 60_000,
      market,
      server,
      feed,
      settings.staleBatchAfter,
      progress,
    );
    // The workers stop (running flows finish) before the last check, so no run is caught half-way.
    await pool.stop();
    const violations = checkInvariants(market, server.store, settings.staleBatchAfter);
    // SOAK_DUMP names a file that gets both sides' final state, for digging into violations.
    if (process.env.SOAK_DUMP) writeFileSync(process.env.SOAK_DUMP, dump(market, server));
    progress(
      `${scenario.name}: ${settledAfter === null ? 'never settled' : `settled in ${settledAfter} ms`}`,
    );
    return {
      scenario: scenario.name,
      seed,
      figures: figures(market, merchant, feed, pool, server),
      faults: { ...server.faults.injected },
      behaviour: { ...server.behaviour },
      settledAfter,
      violations,
      workerErrors: [...pool.lastErrors],
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

interface Actors {
  random: Random;
  market: Marketplace;
  merchant: Merchant;
  feed: WebhookFeed;
  pool: WorkerPool;
  progress: (line: string) => void;
}

/** The active phase: marketplace and merchant act every tick; workers are killed at seeded moments. */
async function activity(options: SoakOptions, { random, market, merchant, feed, pool, progress }: Actors) {
  const end = Date.now() + options.activeFor;
  const killEvery = options.killEvery === undefined ? ([6000, 15_000] as const) : options.killEvery;
  let nextKill = killEvery ? Date.now() + random.int(killEvery[0], killEvery[1]) : Number.POSITIVE_INFINITY;
  let killing: Promise<void> = Promise.resolve();
  let lastProgress = Date.now();
  while (Date.now() < end) {
    if (random.chance(0.35)) {
      const order = market.newOrder();
      if (random.chance(0.3)) await feed.send({ type: 'order', data: order.data });
    }
    if (random.chance(0.12)) {
      const cancel = market.cancelLines();
      if (cancel && random.chance(0.3))
        await feed.send({
          type: 'cancel',
          data: { order: cancel.order, cancelItems: cancel.cancelItems },
        });
    }
    if (random.chance(0.2)) market.moveLine();
    if (random.chance(0.08)) market.openClaim('cancel');
    if (random.chance(0.08)) market.openClaim('refund');
    if (random.chance(0.4)) merchant.act();
    await feed.redeliver();
    if (killEvery && Date.now() >= nextKill) {
      const index = random.int(0, pool.size - 1);
      const pause = random.int(300, 1500);
      // One kill at a time; the next is scheduled from now.
      killing = killing.then(() => pool.kill(index, pause));
      nextKill = Date.now() + random.int(killEvery[0], killEvery[1]);
    }
    if (Date.now() - lastProgress > 15_000) {
      lastProgress = Date.now();
      progress(
        `  ${market.counts.orders} orders, ${pool.kills} kills, ${Math.round((end - Date.now()) / 1000)} s to go`,
      );
    }
    await sleep(TICK);
  }
  await killing;
}

/**
 * Waits for the flows to carry everything across: the invariants hold on two checks in a row, no batch
 * request is open on either (a live run's batch is open for a moment, so one open is only waited for; the
 * count of those open on three checks in a row, left open, goes to the line said when it never settles),
 * the webhook queue is empty and every status job was collected. Returns how long that took, or `null`
 * after `limit`.
 */
async function settle(
  limit: number,
  market: Marketplace,
  server: MockOmnitronServer,
  feed: WebhookFeed,
  staleBatchAfter: number,
  progress: (line: string) => void,
) {
  const start = Date.now();
  let clean = 0;
  const openFor = new Map<string, number>();
  let blockers: string[] = [];
  while (Date.now() - start < limit) {
    await feed.redeliver();
    const found = checkInvariants(market, server.store, staleBatchAfter);
    const open = found.filter((v) => v.startsWith('batch request '));
    for (const key of [...openFor.keys()]) if (!open.includes(key)) openFor.delete(key);
    for (const key of open) openFor.set(key, (openFor.get(key) ?? 0) + 1);
    const lingering = [...openFor.values()].filter((n) => n >= 3).length;
    // A batch open now may belong to a live run, or be one a run could not close, which only the stale-batch
    // sweep closes: settled means none is open, or the last check (after the workers stop) would find it.
    const backlog = await feed.backlog();
    const jobs = market.unfinishedJobs();
    // What keeps it from settling, said when it never does.
    blockers = [
      ...(found.length > open.length ? [`${found.length - open.length} violations`] : []),
      ...(open.length > 0 ? [`${open.length} batch requests open (${lingering} for three checks)`] : []),
      ...(backlog > 0 ? [`${backlog} webhooks queued`] : []),
      ...(jobs > 0 ? [`${jobs} status jobs never collected`] : []),
    ];
    clean = blockers.length === 0 ? clean + 1 : 0;
    if (clean >= 2) return Date.now() - start;
    await sleep(1000);
  }
  progress(`  not settled after ${limit} ms: ${blockers.join(', ')}`);
  return null;
}

function figures(
  market: Marketplace,
  merchant: Merchant,
  feed: WebhookFeed,
  pool: WorkerPool,
  server: MockOmnitronServer,
): Record<string, number> {
  const store = server.store;
  return {
    orders: market.counts.orders,
    requests: market.counts.claims + market.counts.returns,
    requestUnits: [...market.claims.values()].reduce((n, c) => n + c.quantity, 0),
    cancels: market.counts.cancels,
    fullCancels: market.counts.fullCancels,
    lineUpdates: market.counts.lineUpdates,
    returns: market.counts.returns,
    statusUpdatesReceived: market.counts.statusesReceived,
    asyncJobs: market.counts.asyncJobs,
    requestUpdatesReceived: market.counts.requestUpdatesReceived,
    merchantStatusChanges: merchant.counts.statusChanges,
    merchantApprovals: merchant.counts.approvals,
    merchantRejections: merchant.counts.rejections,
    merchantCompletions: merchant.counts.completions,
    webhooksDelivered: feed.counts.delivered,
    kills: pool.kills,
    workerWarnings: pool.logCounts.warn,
    workerErrors: pool.logCounts.error,
    omnitronRequests: server.requests.length,
    omnitronOrders: store.orders.size,
    omnitronCustomers: store.customers.size,
    omnitronBatchRequests: store.batchRequests.size,
  };
}

/** Both sides' state as JSON. */
function dump(market: Marketplace, server: MockOmnitronServer): string {
  const store = server.store;
  return JSON.stringify({
    marketplace: {
      orders: [...market.orders.values()],
      cancels: market.cancels,
      claims: [...market.claims.values()],
    },
    omnitron: {
      orders: [...store.orders.values()],
      orderItems: [...store.orderItems.values()],
      integrationActions: [...store.integrationActions.values()],
      batchRequests: [...store.batchRequests.values()],
      cancellationRequests: [...store.cancellationRequests.values()],
    },
  });
}

/** A loopback port free now, for the mock Omnitron's fixed port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
