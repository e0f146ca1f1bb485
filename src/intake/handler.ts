import { Queue } from 'bullmq';
import { VolatileRedisError } from '../errors/run-errors.js';
import { inWebhookSpan, withTraceContext } from '../telemetry/intake-telemetry.js';
import { observeQueue } from '../telemetry/queue-telemetry.js';
import type { WebhookEvent } from './adapter.js';
import { jsonAnswer } from './answers.js';
import { errorKind } from './error-kind.js';
import {
  resolveHandlerOptions,
  type WebhookHandlerOptions,
  type WebhookHandlerSettings,
  type WebhookRejection,
} from './handler-options.js';
import { readCappedBody, TOO_LARGE, TOO_SLOW } from './read-body.js';
import { readPersistence, volatileReasons } from './redis-persistence.js';
import { checkEvent, type WebhookJobData } from './webhook-job.js';

/**
 * A webhook endpoint as a Fetch API function, with the queue it writes to. Mount it on any server that
 * speaks `Request`/`Response` (or convert, as the node:http example does); {@link WebhookHandler.close}
 * closes its Redis connection on shutdown.
 */
export interface WebhookHandler {
  /** Answers one webhook call; never throws. */
  (request: Request): Promise<Response>;
  /** The BullMQ queue the events are stored in: for inspection (counts, failed jobs). */
  readonly queue: Queue<WebhookJobData>;
  /**
   * Resolves once Redis is reached and found to keep what it stores: persistence on (AOF or RDB) and
   * `maxmemory-policy noeviction`. Rejects with a `VolatileRedisError` when it is not (unless
   * `allowVolatileRedis`), and then every call is answered 503, since a 202 would promise the
   * marketplace an event a Redis restart or eviction could lose. A Redis that refuses CONFIG (managed
   * Redis often does) is logged at `warn` and accepted. Await it before the server starts listening; the
   * check starts when the handler is made, and calls wait for it in any case.
   */
  ready(): Promise<void>;
  /** Closes the queue's Redis connection; calls after it answer 503. */
  close(): Promise<void>;
}

/** Headers of an answer sent before the body was read whole: the connection is not reused. */
const CLOSE = { connection: 'close' };

/** Raised when Redis did not store a job in time. */
class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Makes the webhook endpoint of one channel: it authenticates each call through the adapter, maps and
 * validates its body, and stores it as a BullMQ job that {@link createWebhookWorker} turns into
 * `createOrder` or `createCancel`. The answers tell the marketplace what to do next:
 * - `202` once the job is stored in Redis (or was already stored by an earlier delivery of the same
 *   event), or for an event the adapter ignores;
 * - `401` bad signature, `400` a body it cannot read, `413` a body over `maxBodyBytes`, `422` data that
 *   fails the schema (with every offending field), `405` anything but POST: the marketplace should not
 *   send these again as they are;
 * - `408` a body not received whole within `bodyTimeout`; it and the `413` say `Connection: close`, so
 *   the server drops the connection instead of reading the rest;
 * - `503` when Redis does not store the job within `redisTimeout`, or would not keep it (see
 *   {@link WebhookHandler.ready}): nothing is kept, so the marketplace must retry (a job stored just after the timeout makes that retry a no-op, see the dedup rule).
 *
 * Answer bodies are JSON `{ error, issues? }` (or `{ status }` for a 202) and never carry a secret.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({
 *   connection: { url: process.env.REDIS_URL! },
 *   channelId: 'acme-1',
 *   adapter: { verify: verifyHmacSignature({ secret, header: 'x-acme-signature' }), parse: parseAcmeEvent },
 *   logger,
 * });
 * // Any Fetch API server: Bun.serve({ fetch: handle }), Hono's app.post('/webhooks/acme', (c) => handle(c.req.raw))…
 * ```
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const settings = resolveHandlerOptions(options);
  const { logger, redactor } = settings;
  const queue = new Queue<WebhookJobData>(settings.queueName, {
    connection: settings.connection,
    ...(settings.telemetry ? { telemetry: settings.telemetry } : {}),
  });
  // Without a listener an unreachable Redis prints raw stack traces; with one it is a log line per failure.
  queue.on('error', (error: Error) =>
    logger.error(
      { queue: settings.queueName, channelId: settings.channelId, error: redactor.redactText(error.message) },
      'webhook queue: Redis error',
    ),
  );
  const unobserve = observeQueue(queue);
  let closed = false;
  let persistence: Promise<void> | undefined;

  /** Checks once that Redis keeps what it stores; a lost connection (not an answer) is tried again later. */
  function checkRedis(): Promise<void> {
    persistence ??= checkPersistence().catch((error: unknown) => {
      if (!(error instanceof VolatileRedisError)) persistence = undefined;
      throw error;
    });
    return persistence;
  }

  async function checkPersistence(): Promise<void> {
    const fields = { queue: settings.queueName, channelId: settings.channelId };
    const reading = await readPersistence(await queue.client);
    if ('configRefused' in reading) {
      logger.warn(
        { ...fields, reply: reading.configRefused },
        'webhook queue: Redis refused CONFIG, so whether it keeps stored events is unknown; make sure it has AOF or RDB snapshots and maxmemory-policy noeviction',
      );
      return;
    }
    const found = { ...fields, ...reading.settings };
    const reasons = volatileReasons(reading.settings);
    if (reasons.length === 0) {
      logger.info(found, 'webhook queue: Redis persists what it stores and never evicts it');
      return;
    }
    if (settings.allowVolatileRedis) {
      logger.warn(
        { ...found, reasons },
        'webhook queue: Redis could lose events answered 202 (a restart or an eviction); accepted because allowVolatileRedis is set',
      );
      return;
    }
    const error = new VolatileRedisError(reasons);
    logger.error({ ...found, reasons }, `webhook queue: refusing to store events: ${error.message}`);
    throw error;
  }
  // At start, so a misconfigured Redis shows in the log before the first call; ready() hands its outcome over.
  checkRedis().catch(() => undefined);

  const handler = ((request: Request): Promise<Response> =>
    inWebhookSpan(settings.channelId, request.method, async () => {
      try {
        return await answer(request);
      } catch (thrown) {
        // A bug (ours or the adapter's returning something odd): answer 500 so the marketplace retries.
        logger.error(
          { channelId: settings.channelId, error: errorKind(thrown) },
          'webhook: unexpected failure',
        );
        return jsonAnswer(500, { error: 'internal error' }, redactor);
      }
    })) as WebhookHandler;

  async function answer(request: Request): Promise<Response> {
    const fields = { channelId: settings.channelId };
    if (request.method !== 'POST')
      return jsonAnswer(405, { error: 'method not allowed: use POST' }, redactor, { allow: 'POST' });
    let rawBody: Awaited<ReturnType<typeof readCappedBody>>;
    try {
      rawBody = await readCappedBody(request, settings.maxBodyBytes, settings.bodyTimeout);
    } catch {
      logger.warn(fields, 'webhook refused: the body could not be read');
      return jsonAnswer(400, { error: 'the body could not be read' }, redactor, CLOSE);
    }
    // The rest of a refused body is not read: the answer closes the connection, so the sender cannot keep
    // it open, or keep sending, once it has its answer.
    if (rawBody === TOO_LARGE) {
      logger.warn({ ...fields, maxBodyBytes: settings.maxBodyBytes }, 'webhook refused: body too large');
      return jsonAnswer(413, { error: `body larger than ${settings.maxBodyBytes} bytes` }, redactor, CLOSE);
    }
    if (rawBody === TOO_SLOW) {
      logger.warn(
        { ...fields, bodyTimeout: settings.bodyTimeout },
        'webhook refused: the body did not arrive within bodyTimeout',
      );
      return jsonAnswer(
        408,
        { error: `body not received within ${settings.bodyTimeout} ms` },
        redactor,
        CLOSE,
      );
    }
    if (!(await authentic(request, rawBody))) {
      logger.warn(fields, 'webhook refused: bad signature');
      return jsonAnswer(401, { error: 'invalid signature' }, redactor);
    }
    const event = await read(request, rawBody);
    if (event instanceof Response) return event;
    if (event === null || event === undefined) {
      logger.debug(fields, 'webhook ignored: the adapter maps this event to nothing');
      return jsonAnswer(202, { status: 'ignored' }, redactor);
    }
    if (event.kind !== 'order' && event.kind !== 'cancel') {
      logger.error(
        fields,
        'webhook: the adapter returned neither { kind: "order" } nor { kind: "cancel" } nor null',
      );
      return jsonAnswer(500, { error: 'internal error' }, redactor);
    }
    const checked = checkEvent(settings.channelId, event);
    if ('error' in checked) {
      const { error, remoteId, payload } = checked;
      logger.warn(
        { ...fields, kind: event.kind, remoteId, error: redactor.redactText(error.message) },
        'webhook refused: invalid data',
      );
      report({
        channelId: settings.channelId,
        kind: event.kind,
        error,
        payload,
        ...(remoteId ? { remoteId } : {}),
      });
      return jsonAnswer(422, { error: `invalid ${error.subject}`, issues: error.issues }, redactor);
    }
    try {
      if (closed) throw new Error('the webhook handler is closed');
      await withTimeout(
        checkRedis().then(() =>
          queue.add(
            `${settings.channelId}:${event.kind}`,
            withTraceContext(checked.data, event.kind, checked.jobId),
            jobOptions(checked.jobId, settings),
          ),
        ),
        settings.redisTimeout,
      );
    } catch (error) {
      logger.error(
        { ...fields, jobId: checked.jobId, error: redactor.redactText(String(error)) },
        'webhook not stored: Redis did not take the job; answered 503 so the marketplace retries',
      );
      return jsonAnswer(503, { error: 'the event could not be stored; try again later' }, redactor, {
        'retry-after': '5',
      });
    }
    logger.debug({ ...fields, jobId: checked.jobId }, 'webhook queued');
    return jsonAnswer(202, { status: 'queued', jobId: checked.jobId }, redactor);
  }

  async function authentic(request: Request, rawBody: Uint8Array): Promise<boolean> {
    try {
      return (await settings.adapter.verify(request, rawBody)) === true;
    } catch (error) {
      logger.warn(
        { channelId: settings.channelId, error: errorKind(error) },
        'webhook: verify threw; the call is treated as not authentic',
      );
      return false;
    }
  }

  /** Decodes and maps the body; a `Response` (400) when it cannot. */
  async function read(request: Request, rawBody: Uint8Array): Promise<WebhookEvent | null | Response> {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
    } catch {
      logger.warn({ channelId: settings.channelId }, 'webhook refused: body is not UTF-8 text');
      return jsonAnswer(400, { error: 'the body is not UTF-8 text' }, redactor);
    }
    try {
      return await settings.adapter.parse(text, request);
    } catch (error) {
      const notJson = error instanceof SyntaxError;
      logger.warn(
        { channelId: settings.channelId, error: errorKind(error) },
        notJson
          ? 'webhook refused: body is not JSON'
          : 'webhook refused: the adapter could not read the event',
      );
      return jsonAnswer(
        400,
        { error: notJson ? 'the body is not JSON' : 'the event could not be read' },
        redactor,
      );
    }
  }

  /** Hands a rejection to `onRejected` without holding up the answer; its failure is only logged. */
  function report(rejection: WebhookRejection): void {
    const hook = settings.onRejected;
    if (!hook) return;
    void Promise.resolve()
      .then(() => hook(rejection))
      .catch((error: unknown) =>
        logger.warn({ channelId: settings.channelId, error: errorKind(error) }, 'webhook: onRejected failed'),
      );
  }

  Object.defineProperty(handler, 'queue', { value: queue, enumerable: true });
  handler.ready = () => checkRedis();
  handler.close = async () => {
    closed = true;
    unobserve();
    // BullMQ closing a connection still starting (between Redis' "ready" and its INFO) leaves a rejection
    // nobody hears; let the start finish first, though no longer than redisTimeout when Redis is away.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      queue.client.then(
        () => undefined,
        () => undefined,
      ),
      new Promise((resolve) => {
        timer = setTimeout(resolve, settings.redisTimeout);
      }),
    ]).finally(() => clearTimeout(timer));
    await queue.close();
  };
  return handler;
}

/**
 * Retries (attempts, backoff) are stored with the job, so they hold whichever worker runs it. Completed
 * jobs are kept for the dedup window: while a job exists, BullMQ refuses a second one with its id.
 */
function jobOptions(jobId: string, settings: WebhookHandlerSettings) {
  return {
    jobId,
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffDelay },
    removeOnComplete: { age: Math.ceil(settings.dedupWindow / 1000) },
    removeOnFail: { age: Math.ceil(settings.keepFailedFor / 1000) },
  };
}

/** Waits for a Redis call at most `ms`; the call itself goes on (a job stored late is then found by the retry). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
