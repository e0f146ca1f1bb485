/** The queue both the handler and the worker use unless told otherwise. */
export const DEFAULT_WEBHOOK_QUEUE = 'channel-app-webhooks';

/**
 * Every default of the webhook intake (`createWebhookHandler`, `createWebhookWorker`,
 * `verifyHmacSignature`), in one table. Only their resolve steps read it; past them every setting has a
 * value, so no other code writes `?? default` of its own.
 */
export const WEBHOOK_DEFAULTS = {
  /** The queue the handler and the worker share. */
  queueName: DEFAULT_WEBHOOK_QUEUE,
  handler: {
    /** The largest body read, in bytes: 1 MiB. */
    maxBodyBytes: 1024 * 1024,
    /** How long the whole body may take to arrive, ms. */
    bodyTimeout: 10_000,
    /** How long to wait for Redis to store a job before answering 503, ms. */
    redisTimeout: 5000,
    /** How long a processed job is kept, so a re-delivery is a no-op, ms: 24 hours. */
    dedupWindow: 24 * 60 * 60_000,
    /** How long a job that failed on every attempt is kept, ms: 7 days. */
    keepFailedFor: 7 * 24 * 60 * 60_000,
    /** Attempts per job. */
    attempts: 10,
    /** First wait before a retry, ms, doubled each time: ten attempts span about 85 minutes. */
    backoffDelay: 10_000,
    /** A Redis that could lose stored events is refused. */
    allowVolatileRedis: false,
  },
  worker: {
    /** Jobs one worker holds at once: at least twice `chunkSize`, so one chunk runs while the next gathers. */
    concurrency: 100,
    /** Cancel jobs one worker runs at once. */
    cancelConcurrency: 4,
    /** Orders per run, under one batch request: the import's chunk. */
    chunkSize: 50,
    /** How long the first order of a chunk waits for more, ms. */
    chunkWindow: 500,
    /**
     * Chunk runs one channel may have going at once in a worker (not an option): a run that waits on
     * Omnitron does not hold back the chunks gathered meanwhile.
     */
    chunksInFlight: 6,
    /** How often a run first closes stale batch requests, per channel and worker, ms. */
    staleSweepInterval: 60_000,
    /** How long a running job's lock lasts without renewal, ms. */
    lockDuration: 30_000,
    /** How often each worker looks for jobs whose worker died, ms. */
    stalledInterval: 30_000,
    /** How many times a job may be taken back from a dead worker before it is failed. */
    maxStalledCount: 3,
  },
  hmac: {
    algorithm: 'sha256',
    encoding: 'hex',
    /** Nothing before the signature in its header. */
    prefix: '',
    /** The replay window when a timestamp header is given, in seconds: what large senders use. */
    toleranceSeconds: 300,
  },
} as const;
