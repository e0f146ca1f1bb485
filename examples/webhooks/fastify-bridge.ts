/**
 * The Fastify side of the webhook guide's mounting code: a Fastify request as a Fetch API `Request`. It
 * needs nothing of Fastify at run time, so it is tested here without it; docs/webhooks.md shows it inside
 * the Fastify plugin that mounts the handler.
 */
import { Readable } from 'node:stream';

/** What the bridge reads of a Fastify request (a `FastifyRequest` fits). */
export interface FastifyLikeRequest {
  method: string;
  url: string;
  hostname: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function fastifyToFetchRequest(request: FastifyLikeRequest): Request {
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
