import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildChannelOrder } from 'channel-app-sdk/testing';
import type { WebhookHandler } from 'channel-app-sdk/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { redisUrl, SIGNATURE_HEADER, sign, testHandler } from '../../test/intake/intake-support.js';
import { exportedFunction, guide, region } from '../guide-regions.js';
import { expressWebhookApp } from './express-app.js';
import { fastifyWebhookApp } from './fastify-bridge.js';
import { nodeHttpWebhookServer } from './node-http.js';

/*
 * The guide's mounting code (docs/webhooks.md) on the real servers: node:http, an Express 5 app and a
 * Fastify 5 instance, each listening on a free port and called over HTTP. What each call must get is the
 * guide's table of answers. The guide is checked to show this very code.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** Listens on a free port; returns the webhook's URL. */
async function listenNode(server: Server): Promise<string> {
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/acme`;
}

const mounts: [string, (handle: WebhookHandler) => Promise<string>][] = [
  ['node:http', (handle) => listenNode(nodeHttpWebhookServer(handle))],
  ['Express 5', (handle) => listenNode(createServer(expressWebhookApp(handle)))],
  [
    'Fastify 5',
    async (handle) => {
      const fastify = fastifyWebhookApp(handle);
      stops.push(() => fastify.close());
      const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
      return `${address}/webhooks/acme`;
    },
  ],
];

/**
 * A POST of a body larger than the 1 MiB cap, and the status and `Connection` header of its answer. With
 * `content-length` it announces 50 MiB and sends 64 KiB; `chunked`, it sends 64 KiB more than the cap
 * without announcing a length. Either way it waits for the answer without ending the body (writing more
 * after the server closed would fail with EPIPE before the answer is read).
 */
function postOversized(url: string, framing: 'content-length' | 'chunked') {
  return new Promise<{ status: number; connection: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(framing === 'content-length' ? { 'content-length': 50 * 1024 * 1024 } : {}),
        [SIGNATURE_HEADER]: sign(''),
      },
    });
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection) });
      res.resume();
      req.destroy();
    });
    req.on('error', reject);
    req.write(Buffer.alloc((framing === 'chunked' ? 1024 * 1024 : 0) + 64 * 1024, 'a'));
  });
}

describe.skipIf(!redisUrl)('the guide’s mounting code on the real servers', () => {
  for (const [server, mount] of mounts) {
    it(`${server}: 202 for a signed order, 401 for a bad signature, 400 for a POST without a body`, async () => {
      const url = await mount(testHandler());
      const body = JSON.stringify({ type: 'order', data: buildChannelOrder() });
      const post = (init: { body?: string; signature: string; contentType?: boolean }) =>
        fetch(url, {
          method: 'POST',
          headers: {
            ...(init.contentType === false ? {} : { 'content-type': 'application/json' }),
            [SIGNATURE_HEADER]: init.signature,
          },
          ...(init.body === undefined ? {} : { body: init.body }),
        });
      const accepted = await post({ body, signature: sign(body) });
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ status: 'queued' });
      expect((await post({ body, signature: sign(body, 'not-the-secret') })).status).toBe(401);
      // Signed, but empty (with a content type and without): not JSON, a client error, never a 500.
      expect((await post({ signature: sign('') })).status).toBe(400);
      expect((await post({ signature: sign(''), contentType: false })).status).toBe(400);
    });

    it(`${server}: 405 with Allow: POST for GET and HEAD, the handler's answer rather than the server's 404`, async () => {
      const url = await mount(testHandler());
      const get = await fetch(url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect((await get.json()) as unknown).toHaveProperty('error');
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(405);
      expect(head.headers.get('allow')).toBe('POST');
    });

    it.each(['content-length', 'chunked'] as const)(
      `${server}: 413 with Connection: close for a body above maxBodyBytes (%s), before it is all sent`,
      async (framing) => {
        const url = await mount(testHandler({ maxBodyBytes: 1024 * 1024 }));
        expect(await postOversized(url, framing)).toEqual({ status: 413, connection: 'close' });
      },
    );
  }
});

describe('the guide shows the code the tests run', () => {
  const webhooks = guide('docs/webhooks.md');
  it.each([
    ['node-http.ts', 'function', 'toFetchRequest'],
    ['node-http.ts', 'function', 'writeFetchResponse'],
    ['node-http.ts', 'region', 'node-http'],
    ['express-app.ts', 'region', 'express'],
    ['fastify-bridge.ts', 'region', 'fastify'],
    ['fastify-bridge.ts', 'function', 'fastifyToFetchRequest'],
  ])('%s, %s %s', (file, kind, name) => {
    const url = new URL(file, import.meta.url);
    expect(webhooks).toContain(kind === 'region' ? region(url, name) : exportedFunction(url, name));
  });
});
