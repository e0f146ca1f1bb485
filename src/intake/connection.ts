import type { RedisConnection, RedisUrl } from '../redis/connection.js';

/**
 * A Redis server by URL, for the webhook intake (the same as the scheduler's).
 *
 * @interface
 */
export type WebhookRedisUrl = RedisUrl;

/** Where Redis is, for the webhook intake: a URL, or BullMQ (ioredis) connection options or client. */
export type WebhookConnection = RedisConnection;
