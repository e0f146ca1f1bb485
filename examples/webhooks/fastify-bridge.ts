/**
 * The webhook guide's Fastify mounting code (docs/webhooks.md shows the region and
 * `fastifyToFetchRequest`): the webhook route lives in its own plugin whose parser passes the body through
 * as a stream, and the bridge turns what Fastify gives the route into a Fetch API `Request`.
 */
import { Readable } from 'node:stream';
import type { WebhookHandler } from 'channel-app-sdk/webhooks';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/** A Fastify instance with the handler on `/webhooks/acme` for every method. */
export function fastifyWebhookApp(handle: WebhookHandler): FastifyInstance {
  // #region fastify
  const fastify = Fastify();
  fastify.register(async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    instance.all('/webhooks/acme', async (request, reply) => {
      const response = await handle(fastifyToFetchRequest(request));
      return reply
        .code(response.status)
        .headers(Object.fromEntries(response.headers))
        .send(Buffer.from(await response.arrayBuffer()));
    });
  });
  // #endregion
  return fastify;
}

export function fastifyToFetchRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  // Without a body (a GET, a POST without one) Fastify calls no parser and `body` is undefined.
  const body = request.body instanceof Readable ? Readable.toWeb(request.body) : undefined;
  return new Request(`http://${request.hostname}${request.url}`, {
    method: request.method,
    headers,
    ...(body ? { body, duplex: 'half' } : {}),
  } as RequestInit);
}
