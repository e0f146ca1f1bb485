import type { ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { SecretRedactor } from '../foundation/redact.js';
import type { SameShape } from '../foundation/same-shape.js';
import { eitherBy } from './either-by.js';

/*
 * How the scheduler and the webhook intake are told where Redis is (`{ url }`, or BullMQ/ioredis options
 * or a client), checked the same way and turned into BullMQ connection options in one place, so one
 * setting serves both.
 */

const redisUrlMessage = 'must be a redis:// or rediss:// URL';

const RedisUrlSchema = z.strictObject({
  /** `redis://[user:password@]host:port/db` (or `rediss://` for TLS). */
  url: z.string({ error: redisUrlMessage }).regex(/^rediss?:\/\//, redisUrlMessage),
});

/** A Redis server by URL. */
export interface RedisUrl {
  /** `redis://[user:password@]host:port/db` (or `rediss://` for TLS). */
  url: string;
}

// The interface is what users read; the schema checks values at run time. tsc fails here the moment the
// two disagree.
const _sameUrl: SameShape<RedisUrl, z.input<typeof RedisUrlSchema>> = true;
void _sameUrl;

/** Where Redis is: a URL, or BullMQ (ioredis) connection options or client. */
export type RedisConnection = RedisUrl | ConnectionOptions;

/** Anything else than `{ url }`: BullMQ (ioredis) connection options or a client, which BullMQ checks. */
const BullConnection = z.custom<ConnectionOptions>((v) => typeof v === 'object' && v !== null, {
  message: "must be { url: 'redis://host:6379/0' } or BullMQ connection options",
});

/** The connection option's check: `{ url }` as a URL, anything else left to BullMQ. */
export const ConnectionSchema = eitherBy<RedisConnection>('url', RedisUrlSchema, BullConnection);

/** The password of a `redis://` URL or of connection options, so it never shows in a log line. */
export function redisPassword(connection: RedisConnection): string | undefined {
  try {
    if ('url' in connection && typeof connection.url === 'string')
      return decodeURIComponent(new URL(connection.url).password) || undefined;
    const password = (connection as { password?: unknown }).password;
    return typeof password === 'string' ? password : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The redactor of a scheduler, webhook handler or worker: the app's `secrets` and the Redis password, so
 * neither ever shows in a log line or in what BullMQ keeps.
 */
export function redactorWithRedisPassword(
  secrets: readonly string[] | undefined,
  connection: RedisConnection,
): SecretRedactor {
  return new SecretRedactor([...(secrets ?? []), redisPassword(connection)]);
}

/** Whether the value is a ready-made ioredis client (or cluster), whose options cannot be changed here. */
function isClient(connection: object): boolean {
  return typeof (connection as { duplicate?: unknown }).duplicate === 'function';
}

/**
 * BullMQ options for the given connection. `role` picks the settings a client needs:
 * - `producer` (the webhook handler): commands fail at once while Redis is down (`enableOfflineQueue:
 *   false`), so a request answers 503 instead of piling up in memory until Redis returns;
 * - `worker` (workers, and the scheduler's queue): commands wait for Redis (`maxRetriesPerRequest: null`),
 *   as BullMQ's blocking commands require.
 * A ready-made client is passed through as it is: its settings are the app's.
 */
export function connectionFor(connection: RedisConnection, role: 'producer' | 'worker'): ConnectionOptions {
  if (isClient(connection)) return connection as ConnectionOptions;
  const base: Record<string, unknown> =
    'url' in connection && typeof connection.url === 'string'
      ? fromUrl(connection.url)
      : { ...(connection as Record<string, unknown>) };
  if (role === 'worker') return { ...base, maxRetriesPerRequest: null } as ConnectionOptions;
  return { enableOfflineQueue: false, maxRetriesPerRequest: 1, ...base } as ConnectionOptions;
}

function fromUrl(text: string): Record<string, unknown> {
  const url = new URL(text);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number(url.pathname.slice(1) || 0),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
