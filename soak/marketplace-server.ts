import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Marketplace, StatusUpdate } from './marketplace.js';

/** The marketplace's HTTP API, served from the soak's process to the worker processes. */
export interface MarketplaceServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a {@link Marketplace} over HTTP on 127.0.0.1, so worker processes (killed and started again at
 * random) all reach the one marketplace the invariant checker reads. JSON in, JSON out.
 */
export async function serveMarketplace(market: Marketplace): Promise<MarketplaceServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    const answer = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const path = `${req.method} ${url.pathname}`;
    if (path === 'GET /orders') return void answer(200, market.listOrders());
    if (path === 'POST /orders/acknowledge') {
      market.acknowledge(body.remoteIds as string[]);
      return void answer(200, {});
    }
    if (path === 'POST /statuses')
      return void answer(200, market.receiveStatuses(body.updates as StatusUpdate[]));
    const job = /^GET \/jobs\/(.+)$/.exec(path);
    if (job) return void answer(200, market.job(decodeURIComponent(job[1] ?? '')));
    if (path === 'GET /cancels') return void answer(200, market.listCancels());
    if (path === 'GET /line-updates') return void answer(200, market.listLineUpdates());
    if (path === 'GET /claims') return void answer(200, market.listClaims());
    if (path === 'POST /claims/update') {
      const known = market.updateClaim(
        body.remoteId as string,
        body.unit as { index: number } | null,
        body.status as string,
      );
      return void answer(known ? 200 : 404, {});
    }
    answer(404, { error: `no route ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}
