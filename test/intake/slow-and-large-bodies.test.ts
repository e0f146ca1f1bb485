import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toFetchRequest, writeFetchResponse } from '../../examples/webhooks/node-http.js';
import type { WebhookHandler } from '../../src/intake/index.js';
import { capturingLogger } from '../support.js';
import { redisUrl, testHandler } from './intake-support.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real node:http server mounting the handler through the documented bridge; counts the bytes it read. */
async function serve(handler: WebhookHandler): Promise<{ port: number; bytesRead: () => number }> {
  const sockets: Socket[] = [];
  const server = createServer(
    (req, res) => void handler(toFetchRequest(req)).then((r) => writeFetchResponse(res, r)),
  );
  server.on('connection', (socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bytesRead: () => sockets.reduce((sum, socket) => sum + socket.bytesRead, 0),
  };
}

/** What a raw client saw: the answer's text, and when the server closed the connection. */
interface Seen {
  answer: string;
  closedAfter: number;
}

/** Opens a raw connection, sends `head`, then calls `feed` until the socket closes; resolves on close. */
function rawClient(port: number, head: string, feed: (socket: Socket) => void): Promise<Seen> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => {
      answer += data.toString('latin1');
    });
    socket.on('error', () => undefined); // a reset after the answer is one way the server closes
    socket.on('close', () => resolve({ answer, closedAfter: Date.now() - started }));
    socket.write(head);
    feed(socket);
  });
}

describe.skipIf(!redisUrl)('the webhook handler on node:http, against slow and oversized bodies', () => {
  it('answers a body dribbled a byte a second 408 with Connection: close once bodyTimeout passed, and closes', async () => {
    const logs: string[] = [];
    const { port } = await serve(testHandler({ bodyTimeout: 300, logger: capturingLogger(logs) }));
    let timer: NodeJS.Timeout | undefined;
    const seen = await rawClient(
      port,
      'POST /webhooks/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n',
      (socket) => {
        // 60 bytes at one a second: a minute, unless the server gives up first.
        timer = setInterval(() => socket.writable && socket.write('{'), 1000);
      },
    );
    clearInterval(timer);
    expect(seen.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(seen.answer.toLowerCase()).toContain('connection: close');
    expect(seen.closedAfter).toBeLessThan(5000);
    expect(logs.some((l) => l.startsWith('warn webhook refused: the body did not arrive'))).toBe(true);
    console.info(`slowloris connection closed after ${seen.closedAfter} ms (bodyTimeout 300 ms)`);
  });

  it('answers 408 to a Fetch request whose body never ends, within bodyTimeout', async () => {
    const handler = testHandler({ bodyTimeout: 200 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"type":'));
      },
    });
    const started = Date.now();
    const response = await handler(
      new Request('http://localhost/hook', { method: 'POST', body: stalled, duplex: 'half' } as RequestInit),
    );
    expect(response.status).toBe(408);
    expect(response.headers.get('connection')).toBe('close');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  for (const framing of ['content-length', 'chunked'] as const)
    it(`answers a 50 MB body (${framing}) 413 with Connection: close and closes before the client sent it`, async () => {
      const total = 50 * 1024 * 1024;
      const { port, bytesRead } = await serve(testHandler({ maxBodyBytes: 1000 }));
      const framingHeader = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`;
      let sent = 0;
      const seen = await rawClient(
        port,
        `POST /webhooks/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framingHeader}\r\n\r\n`,
        (socket) => {
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const framed =
            framing === 'chunked'
              ? Buffer.concat([Buffer.from(`10000\r\n`), chunk, Buffer.from('\r\n')])
              : chunk;
          const pump = () => {
            while (sent < total && !socket.destroyed) {
              sent += chunk.length;
              if (!socket.write(framed)) return void socket.once('drain', pump);
            }
          };
          pump();
        },
      );
      expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(seen.answer.toLowerCase()).toContain('connection: close');
      expect(sent).toBeLessThan(total);
      expect(bytesRead()).toBeLessThan(total / 2);
      console.info(
        `413 (${framing}): closed after ${seen.closedAfter} ms; client wrote ${sent} bytes, server read ${bytesRead()} of ${total}`,
      );
    });
});
