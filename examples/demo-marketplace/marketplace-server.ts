import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  MarketCancellation,
  MarketClaim,
  MarketJob,
  MarketLineUpdate,
  MarketOrder,
  MarketStatusResult,
  MarketStatusUpdate,
  Page,
} from './marketplace-api.js';

/** What the demo marketplace starts with, and how it answers status pushes. */
export interface DemoMarketplaceOptions {
  apiKey: string;
  orders?: MarketOrder[];
  cancellations?: MarketCancellation[];
  lineUpdates?: MarketLineUpdate[];
  claims?: MarketClaim[];
  /** `sync`: a status push answers with results; `async`: with a job, finished after `jobPolls` polls. */
  statusMode?: 'sync' | 'async';
  /** How many polls a job stays `processing` (default 1). */
  jobPolls?: number;
  /** Orders whose status pushes the marketplace refuses. */
  refuseStatusFor?: string[];
  pageSize?: number;
}

/** A running demo marketplace. */
export interface DemoMarketplace {
  url: string;
  /** Its state, for tests and the demo to look at. */
  state: {
    orders: MarketOrder[];
    acknowledged: Set<string>;
    cancellations: MarketCancellation[];
    lineUpdates: MarketLineUpdate[];
    claims: MarketClaim[];
    claimDecisions: Map<string, string>;
    pushedStatuses: MarketStatusUpdate[];
  };
  close(): Promise<void>;
}

/**
 * A small marketplace API on 127.0.0.1: new orders (until acknowledged), cancellations, line updates and
 * claims, and a status push that answers at once or through a job. Every call needs the `X-Api-Key`.
 */
export async function startDemoMarketplace(options: DemoMarketplaceOptions): Promise<DemoMarketplace> {
  const pageSize = options.pageSize ?? 2;
  const state: DemoMarketplace['state'] = {
    orders: [...(options.orders ?? [])],
    acknowledged: new Set(),
    cancellations: [...(options.cancellations ?? [])],
    lineUpdates: [...(options.lineUpdates ?? [])],
    claims: [...(options.claims ?? [])],
    claimDecisions: new Map(),
    pushedStatuses: [],
  };
  const jobs = new Map<string, { polls: number; results: MarketStatusResult[] }>();
  const refused = new Set(options.refuseStatusFor ?? []);

  const page = <T>(items: T[], url: URL): Page<T> => {
    const number = Number(url.searchParams.get('page') ?? 1);
    return {
      items: items.slice((number - 1) * pageSize, number * pageSize),
      nextPage: number * pageSize < items.length ? number + 1 : null,
    };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers['x-api-key'] !== options.apiKey) return send(res, 401, { error: 'invalid api key' });
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const route = `${req.method} ${url.pathname}`;

    if (route === 'GET /api/orders')
      return send(
        res,
        200,
        page(
          state.orders.filter((o) => !state.acknowledged.has(o.id)),
          url,
        ),
      );
    if (route === 'POST /api/orders/acknowledge') {
      for (const id of (body as { orderIds: string[] }).orderIds) state.acknowledged.add(id);
      return send(res, 204, null);
    }
    if (route === 'GET /api/cancellations') return send(res, 200, page(state.cancellations, url));
    if (route === 'GET /api/line-updates') return send(res, 200, page(state.lineUpdates, url));
    if (route === 'GET /api/claims') return send(res, 200, page(state.claims, url));
    const decision = /^POST \/api\/claims\/([^/]+)\/decision$/.exec(route);
    if (decision?.[1]) {
      const claimId = decodeURIComponent(decision[1]);
      if (!state.claims.some((c) => c.claimId === claimId))
        return send(res, 404, { error: `no claim ${claimId}` });
      state.claimDecisions.set(claimId, (body as { decision: string }).decision);
      return send(res, 200, { claimId, ok: true });
    }
    if (route === 'POST /api/order-statuses') {
      const updates = (body as { updates: MarketStatusUpdate[] }).updates;
      state.pushedStatuses.push(...updates);
      const results = updates.map((u) =>
        refused.has(u.orderId)
          ? { orderId: u.orderId, accepted: false, error: 'status change not allowed for this order' }
          : { orderId: u.orderId, accepted: true },
      );
      if (options.statusMode !== 'async') return send(res, 200, { results });
      const jobId = randomUUID();
      jobs.set(jobId, { polls: 0, results });
      return send(res, 202, { jobId });
    }
    const job = /^GET \/api\/jobs\/([^/]+)$/.exec(route);
    if (job?.[1]) {
      const found = jobs.get(job[1]);
      if (!found) return send(res, 404, { error: 'no such job' });
      found.polls += 1;
      const answer: MarketJob =
        found.polls <= (options.jobPolls ?? 1)
          ? { state: 'processing' }
          : { state: 'completed', results: found.results };
      return send(res, 200, answer);
    }
    return send(res, 404, { error: `no route ${route}` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}
