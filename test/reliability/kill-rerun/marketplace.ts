import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelOrderInput } from '../../../src/index.js';

/** A page of new orders: `next` is the cursor of the following page, `null` on the last one. */
export interface OrdersPage {
  items: ChannelOrderInput[];
  next: number | null;
}

/** A marketplace on 127.0.0.1 that lives in the test process, so its state survives the killed imports. */
export interface KillRerunMarketplace {
  url: string;
  /** How many times each order (by remote id) was acknowledged. */
  acknowledgements: Map<string, number>;
  /** Orders not acknowledged yet. */
  unacknowledged(): number;
  close(): Promise<void>;
}

/**
 * Offers orders until they are acknowledged, with a cursor (`after`) rather than page numbers, so orders
 * acknowledged while a run reads do not shift later pages. A repeated acknowledgement is accepted and
 * changes nothing (as a marketplace's "order taken" call does), but it is counted, so the test can show
 * how often a kill between commit and acknowledgement made a run acknowledge an order again.
 */
export async function startKillRerunMarketplace(
  orders: readonly ChannelOrderInput[],
  pageSize = 100,
): Promise<KillRerunMarketplace> {
  const acknowledgements = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body?: unknown) => {
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/orders') {
      const after = Number(url.searchParams.get('after') ?? -1);
      const items: ChannelOrderInput[] = [];
      let last = after;
      for (let index = after + 1; index < orders.length && items.length < pageSize; index += 1) {
        const order = orders[index] as ChannelOrderInput;
        last = index;
        if (!acknowledgements.has(order.remoteId)) items.push(order);
      }
      const page: OrdersPage = { items, next: last + 1 < orders.length ? last : null };
      return send(200, page);
    }
    if (req.method === 'POST' && url.pathname === '/orders/acknowledge') {
      const { ids } = (await readJson(req)) as { ids: string[] };
      for (const id of ids) acknowledgements.set(id, (acknowledgements.get(id) ?? 0) + 1);
      return send(204);
    }
    return send(404, { error: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    acknowledgements,
    unacknowledged: () => orders.filter((o) => !acknowledgements.has(o.remoteId)).length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}
