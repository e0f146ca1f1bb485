import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach } from 'vitest';
import { OmnitronRestIntegration, type OmnitronRestIntegrationOptions } from '../../src/index.js';
import type { OmnitronHttpClient } from '../../src/omnitron/http-client.js';

/** A tiny hand-written Omnitron on 127.0.0.1 that misbehaves the way a test needs. */
export interface TinyServer {
  url: string;
  /** Every request it got, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

const open: TinyServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** Starts a server whose handler gets the request and its body; it is closed after the test. */
export async function tinyServer(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => unknown,
): Promise<TinyServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const tiny: TinyServer = {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(tiny);
  return tiny;
}

/** Sends a JSON answer. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** The REST integration with its transport in reach, so a test can send any request through it. */
export class Probe extends OmnitronRestIntegration {
  /** The HTTP transport. */
  get transport(): OmnitronHttpClient {
    return this.http;
  }
}

/** A probe on `url` with fast retries. */
export function probe(url: string, extra: Partial<OmnitronRestIntegrationOptions> = {}): Probe {
  return new Probe({
    baseUrl: url,
    username: 'app-user',
    password: 'unused-password',
    channelId: 1,
    timeout: 2000,
    retry: { limit: 2, baseDelay: 1, backoffLimit: 5 },
    ...extra,
  });
}
