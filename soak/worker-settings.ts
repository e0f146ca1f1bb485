/** What a soak worker process needs to know, passed as JSON in its first argument. */
export interface WorkerSettings {
  redisUrl: string;
  /** The flows' BullMQ queue. */
  queueName: string;
  /** The webhook intake's BullMQ queue. */
  webhookQueue: string;
  /** The Redis key prefix of the order, customer and address locks all workers share. */
  lockPrefix: string;
  omnitronUrl: string;
  username: string;
  password: string;
  marketplaceUrl: string;
  /** The REST client's `pageSize` (the `limit` it asks for). */
  pageSize: number;
  /** The REST client's per-attempt timeout, in ms. */
  timeout: number;
  /** `OrderService`'s `staleBatchAfter`, in ms. */
  staleBatchAfter: number;
  /** Every flow's interval, in ms. */
  every: number;
  /** The scheduler's run-lock TTL, in ms: how soon a killed worker's runs are taken back. */
  lockTtl: number;
}
