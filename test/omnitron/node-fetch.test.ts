import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OmnitronResponseError } from '../../src/index.js';
import { probe } from '../security/omnitron-servers.js';

// The REST transport's own `fetch` (node:http under ky, used when no `fetch` is given) against real
// servers: what undici's `fetch` did, it must do too.

const CHANNEL = { pk: 7, name: 'Bazaar', channel_type: 'x', catalog: 1, is_active: true, conf: {} };
const LOGIN = '/api/v1/auth/login/';

interface Served {
  url: string;
  /** Connections the server accepted. */
  connections: () => number;
  /** The headers of each request, in order. */
  headers: IncomingHttpHeaders[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A server that logs in and answers every other request with `answer`'s body and headers. */
async function serve(answer: () => { body: Buffer; headers?: Record<string, string> }): Promise<Served> {
  let connections = 0;
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    req.on('end', () => {
      if (req.url === LOGIN) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"key":"tok-node-fetch-1"}');
        return;
      }
      const { body, headers: extra } = answer();
      res.writeHead(200, { 'Content-Type': 'application/json', ...extra }).end(body);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, connections: () => connections, headers };
}

const channelJson = Buffer.from(JSON.stringify(CHANNEL));

describe("the transport's fetch", () => {
  it.each([
    ['gzip', gzipSync(channelJson)],
    ['deflate', deflateSync(channelJson)],
    ['br', brotliCompressSync(channelJson)],
  ])('reads an answer sent with Content-Encoding: %s decoded', async (encoding, body) => {
    const server = await serve(() => ({ body, headers: { 'Content-Encoding': encoding } }));
    const channel = await probe(server.url).getChannel();
    expect(channel).toMatchObject({ id: 7, name: 'Bazaar' });
  });

  it('asks for the encodings it decodes, with the default headers fetch sends', async () => {
    const server = await serve(() => ({ body: channelJson }));
    await probe(server.url).getChannel();
    const sent = server.headers.at(-1);
    expect(sent).toMatchObject({
      accept: '*/*',
      'accept-encoding': 'gzip, deflate',
      'accept-language': '*',
      'user-agent': 'node',
    });
    expect(sent?.authorization).toBe('Token tok-node-fetch-1');
  });

  it('sends requests one after another over one kept-alive connection', async () => {
    const server = await serve(() => ({ body: channelJson }));
    const omnitron = probe(server.url);
    for (let i = 0; i < 5; i += 1) await omnitron.getChannel();
    // The login and five reads: the end of each request (its deadline let go) leaves the connection open.
    expect(server.headers).toHaveLength(6);
    expect(server.connections()).toBe(1);
  });

  it('refuses a corrupt compressed body as an answer that broke off, not as data', async () => {
    const server = await serve(() => ({
      body: Buffer.from('this is not gzip at all'),
      headers: { 'Content-Encoding': 'gzip' },
    }));
    const error = await probe(server.url, { retry: { limit: 0, baseDelay: 1, backoffLimit: 1 } })
      .getChannel()
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ delivered: true });
    expect((error as Error).message).toMatch(/broke off before its end/);
    expect(error).not.toBeInstanceOf(OmnitronResponseError);
  });
});
