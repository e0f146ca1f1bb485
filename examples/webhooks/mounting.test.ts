import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildChannelOrder } from 'channel-app-sdk/testing';
import type { WebhookHandler } from 'channel-app-sdk/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { redisUrl, SIGNATURE_HEADER, sign, testHandler } from '../../test/intake/intake-support.js';
import { fastifyToFetchRequest } from './fastify-bridge.js';
import { toFetchRequest, writeFetchResponse } from './node-http.js';

/*
 * The guide's mounting code (docs/webhooks.md), run over real HTTP: node:http and Express share
 * `toFetchRequest` / `writeFetchResponse`, mounted for every method as the guide's `app.all` does; the
 * Fastify bridge gets what Fastify gives a route mounted with `all` and a pass-through parser: the request
 * stream as `body` when there is one, `undefined` otherwise. The guide's code is checked to be this code.
 */

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/acme`;
}

/** node:http, and Express's `app.all('/webhooks/acme', …)`: one route for every method. */
function nodeHttpMount(handle: WebhookHandler): Server {
  return createServer((req, res) => void handle(toFetchRequest(req)).then((r) => writeFetchResponse(res, r)));
}

/** Whether Fastify would run a body parser: a body announced by its length or as chunked. */
const hasBody = (req: IncomingMessage) =>
  Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** Fastify's `instance.all('/webhooks/acme', …)` with the pass-through parser, as far as the bridge sees it. */
function fastifyMount(handle: WebhookHandler): Server {
  return createServer((req, res) => {
    const request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      hostname: req.headers.host ?? 'localhost',
      headers: req.headers,
      body: hasBody(req) ? req : undefined,
    };
    void handle(fastifyToFetchRequest(request)).then((r) => writeFetchResponse(res, r));
  });
}

describe.skipIf(!redisUrl)('the guide’s mounting code over real HTTP', () => {
  for (const [framework, mount] of [
    ['node:http and Express', nodeHttpMount],
    ['Fastify', fastifyMount],
  ] as const)
    it(`${framework}: 202 for a signed order, 400 for a POST without a body, 405 for GET and HEAD`, async () => {
      const url = await listen(mount(testHandler()));
      const body = JSON.stringify({ type: 'order', data: buildChannelOrder() });
      const post = (payload?: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(payload ?? '') },
          ...(payload === undefined ? {} : { body: payload }),
        });
      expect((await post(body)).status).toBe(202);
      // Signed, but empty: not JSON, a client error, never a 500.
      expect((await post()).status).toBe(400);
      const get = await fetch(url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect((await fetch(url, { method: 'HEAD' })).status).toBe(405);
    });
});

describe('the guide shows the code the tests run', () => {
  const guide = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
  /** A function's source as an example file has it, without `export ` and its doc comment. */
  const source = (file: string, name: string) => {
    const text = readFileSync(new URL(file, import.meta.url), 'utf8');
    const match = new RegExp(`^export (?:async )?function ${name}\\b[\\s\\S]*?^}$`, 'm').exec(text);
    if (!match) throw new Error(`${name} not found in ${file}`);
    return match[0].replace(/^export /, '');
  };
  it.each([
    ['./node-http.ts', 'toFetchRequest'],
    ['./node-http.ts', 'writeFetchResponse'],
    ['./fastify-bridge.ts', 'fastifyToFetchRequest'],
  ])('%s %s', (file, name) => {
    expect(guide).toContain(source(file, name));
  });

  it('mounts the handler for every method, so that it answers 405 itself rather than the framework 404', () => {
    expect(guide).toContain("app.all('/webhooks/acme'");
    expect(guide).toContain("instance.all('/webhooks/acme'");
    expect(guide).not.toMatch(/\.post\('\/webhooks\/acme'/);
  });
});
