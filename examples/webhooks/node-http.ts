/**
 * `npx tsx examples/webhooks/node-http.ts`: a marketplace's order webhooks on plain node:http, stored in
 * Redis before they are answered and turned into Omnitron orders by a worker. Needs a Redis: REDIS_URL,
 * or redis://127.0.0.1:6379 by default, with persistence on (a Redis started with `--save ''` is refused:
 * set ALLOW_VOLATILE_REDIS=1 to run on it anyway). It prints a curl command that sends a signed order.
 *
 * Omnitron here is the SDK's in-memory one; in production, pass `OmnitronRestIntegration`.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { ChannelIntegration, type Logger, OrderService } from 'channel-app-sdk';
import { buildChannelOrder, InMemoryOmnitron } from 'channel-app-sdk/testing';
import {
  createWebhookHandler,
  createWebhookWorker,
  verifyHmacSignature,
  type WebhookAdapter,
  type WebhookHandler,
  type WebhookWorker,
} from 'channel-app-sdk/webhooks';

/** node:http's request as a Fetch API `Request`; the body is streamed, so the handler's size cap applies. */
export function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a Fetch API `Response` to node:http's response. */
export async function writeFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The guide's node:http server: the handler answers every call, whatever its method and path. */
export function nodeHttpWebhookServer(handle: WebhookHandler): Server {
  // #region node-http
  const server = createServer(
    (req, res) => void handle(toFetchRequest(req)).then((r) => writeFetchResponse(res, r)),
  );
  // #endregion
  return server;
}

/** The marketplace's events: `{ type: 'order.created' | 'order.cancelled' | …, payload }`, HMAC-signed. */
function acmeAdapter(secret: string): WebhookAdapter {
  return {
    verify: verifyHmacSignature({ secret, header: 'x-acme-signature', prefix: 'sha256=' }),
    parse: (rawBody) => {
      const event = JSON.parse(rawBody) as { type?: string; payload?: never };
      if (event.type === 'order.created') return { kind: 'order', data: event.payload as never };
      if (event.type === 'order.cancelled') return { kind: 'cancel', data: event.payload as never };
      return null; // other events: answered 202, nothing queued
    },
  };
}

/** Webhooks bring the orders, so the adapter's own feed is empty. */
class AcmeChannel extends ChannelIntegration {
  override async *getOrders() {}
  override async sendUpdatedOrders() {
    return { status: 'done' as const, results: [] };
  }
}

/** What {@link startWebhookServer} started. */
export interface WebhookServer {
  /** Where the webhook is mounted. */
  url: string;
  /** The Omnitron the orders land in. */
  omnitron: InMemoryOmnitron;
  handler: WebhookHandler;
  worker: WebhookWorker;
  server: Server;
  /** Stops taking calls, lets running jobs finish, closes Redis connections. */
  stop(): Promise<void>;
}

/** Starts the HTTP server, the handler and a worker (in production, often separate processes). */
export async function startWebhookServer(options: {
  redisUrl: string;
  secret: string;
  port?: number;
  queueName?: string;
  logger?: Logger;
  /** Accept a Redis without persistence (a local one started without AOF or RDB, a test's). */
  allowVolatileRedis?: boolean;
}): Promise<WebhookServer> {
  const connection = { url: options.redisUrl };
  const queueName = options.queueName ?? 'channel-app-webhooks';
  const omnitron = new InMemoryOmnitron();
  const service = new OrderService({
    omnitron,
    channel: new AcmeChannel(),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const handler = createWebhookHandler({
    connection,
    queueName,
    channelId: 'acme-1',
    adapter: acmeAdapter(options.secret),
    secrets: [options.secret],
    allowVolatileRedis: options.allowVolatileRedis ?? false,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // Refuses a Redis that would lose events answered 202 (VolatileRedisError) before taking any call.
  await handler.ready().catch(async (error: unknown) => {
    await handler.close();
    throw error;
  });
  const worker = createWebhookWorker({
    connection,
    queueName,
    service,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const server = createServer((req, res) => {
    if (req.url !== '/webhooks/acme') {
      res.writeHead(404).end();
      return;
    }
    void handler(toFetchRequest(req)).then((response) => writeFetchResponse(res, response));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/acme`,
    omnitron,
    handler,
    worker,
    server,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.close();
      await handler.close();
    },
  };
}

/** The `sha256=<hex>` signature the marketplace sends. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.ACME_WEBHOOK_SECRET ?? 'acme-demo-secret';
  const log = (fields: Record<string, unknown>, message: string) =>
    console.log(message, JSON.stringify(fields));
  const running = await startWebhookServer({
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    secret,
    port: Number(process.env.PORT ?? 3000),
    // ALLOW_VOLATILE_REDIS=1 for a Redis that persists nothing, such as `redis-server --save ''`.
    allowVolatileRedis: process.env.ALLOW_VOLATILE_REDIS === '1',
    logger: { debug: () => {}, info: log, warn: log, error: log },
  });
  const body = JSON.stringify({ type: 'order.created', payload: buildChannelOrder() });
  console.log(`Webhook at ${running.url}. Send a signed order:\n`);
  console.log(
    `curl -i -X POST ${running.url} -H 'content-type: application/json' -H 'x-acme-signature: ${signBody(body, secret)}' -d '${body}'\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.log(`orders in Omnitron: ${running.omnitron.store.orders.size}`);
      void running.stop().then(() => process.exit(0));
    });
}
