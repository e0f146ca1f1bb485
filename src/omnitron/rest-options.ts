import { z } from 'zod';
import { InvalidOptionsError } from '../errors/run-errors.js';
import { isLogger, type Logger, silentLogger } from '../foundation/logger.js';
import type { SameShape } from '../foundation/same-shape.js';
import { DEFAULT_MAX_PAGES } from './http-client.js';
import { InMemoryTokenStore, type TokenStore } from './token-store.js';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

/** The longest delay a Node.js timer supports, in ms. */
const MAX_TIMER = 2_147_483_647;

/** Whether a URL has no `user:password@` part. */
const hasNoCredentials = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  } catch {
    return true; // z.url() reports it.
  }
};

const isTokenStore = (v: unknown): v is TokenStore =>
  typeof v === 'object' &&
  v !== null &&
  ['get', 'set', 'delete'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');

/**
 * Every default of `OmnitronRestIntegration`, in one table; only {@link resolveRestOptions} reads it.
 */
export const REST_DEFAULTS = {
  /** Per attempt, ms, until an answer's headers. */
  timeout: 30_000,
  /** The largest answer read, in bytes. */
  maxResponseBytes: 20 * 1024 * 1024,
  /** The longest `Retry-After` honoured, ms. */
  maxRetryAfter: 30_000,
  /** Retries after the first attempt, the longest and the first wait between them (ms). */
  retry: { limit: 3, backoffLimit: 10_000, baseDelay: 300 },
  /** How long geography and cargo-company answers are remembered, ms. */
  cacheTtl: 600_000,
  /** Items per page when listing. */
  pageSize: 100,
  /** The most pages one list may have. */
  maxPages: DEFAULT_MAX_PAGES,
  /**
   * `parkTime` is this many `settleTime`s: a parked create holds no concurrency slot, so it can wait for a
   * server several times slower than the client's timeout.
   */
  parkTimeFactor: 3,
} as const;

// Strict: a misspelt option (`timeOut`) is an error naming it, not silently ignored.
// The fields are documented once, on OmnitronRestIntegrationOptions below.
const RestOptionsSchema = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/, ...required('an http or https URL such as https://omnitron.example.com') })
    .refine(hasNoCredentials, {
      // The URL itself is not repeated: it holds a password.
      message: 'must not contain a user name or password (give them as username and password)',
      abort: true,
    }),
  username: z.string(required('a string')).min(1, 'is required'),
  password: z.string(required('a string')).min(1, 'is required'),
  channelId: z.coerce
    .number<number | string>(required('a channel id'))
    .int()
    .positive('must be a positive channel id'),
  catalogId: z.coerce.number<number | string>().int().positive('must be a positive catalog id').optional(),
  timeout: z.number().int().positive().max(MAX_TIMER).optional(),
  deadline: z.number().int().positive().max(MAX_TIMER).optional(),
  maxResponseBytes: z.number().int().positive().optional(),
  maxRetryAfter: z.number().int().nonnegative().max(MAX_TIMER).optional(),
  settleTime: z.number().int().nonnegative().max(MAX_TIMER).optional(),
  parkTime: z.number().int().nonnegative().max(MAX_TIMER).optional(),
  retry: z
    .strictObject({
      limit: z.number().int().min(0).max(10).optional(),
      backoffLimit: z.number().int().nonnegative().max(MAX_TIMER).optional(),
      baseDelay: z.number().int().nonnegative().max(MAX_TIMER).optional(),
    })
    .optional(),
  cacheTtl: z.number().int().nonnegative().optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
  maxPages: z.number().int().positive().optional(),
  tokenStore: z
    .custom<TokenStore>(isTokenStore, { message: 'must have get, set and delete methods' })
    .optional(),
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  fetch: z
    .custom<typeof globalThis.fetch>((v) => typeof v === 'function', { message: 'must be a function' })
    .optional(),
});

/**
 * The options of `OmnitronRestIntegration`. Checked by {@link OmnitronRestOptions} when it is constructed;
 * defaults are in `REST_DEFAULTS`.
 *
 * @group Adapters
 */
export interface OmnitronRestIntegrationOptions {
  /** Omnitron's address, such as `https://omnitron.example.com` (the SDK adds `/api/v1/`); no credentials in it. */
  baseUrl: string;
  /** The channel app's Omnitron user. */
  username: string;
  /** Its password; it never appears in logs, errors or reports. */
  password: string;
  /** The sales channel's Omnitron id; a numeric string (from an environment variable) is accepted. */
  channelId: number | string;
  /** The catalog whose price and stock lists new order items default to. */
  catalogId?: number | string | undefined;
  /** Per attempt, in ms: how long to wait for the headers of an answer (default 30 000). */
  timeout?: number | undefined;
  /**
   * The most one request may take in all, in ms: headers, body, every retry and wait, a fresh login
   * (default: what the retry policy may take at worst, `timeout × (retry.limit + 1) + retry.backoffLimit ×
   * retry.limit`, 150 000 with the defaults).
   */
  deadline?: number | undefined;
  /** The largest answer read, in bytes (default 20 MiB); a larger one is an `OmnitronResponseError`. */
  maxResponseBytes?: number | undefined;
  /**
   * The longest `Retry-After` honoured, in ms (default 30 000). A 429 or 503 asking for a longer wait, or
   * for one that would end after the deadline, fails at once instead of waiting.
   */
  maxRetryAfter?: number | undefined;
  /**
   * How long Omnitron may still be working on a create the client gave up on (a timeout, a lost answer),
   * in ms (default: `timeout`). Such a create is looked up, and looked up again after this long, before it
   * is ever sent again; set it above Omnitron's slowest create.
   */
  settleTime?: number | undefined;
  /**
   * How long the order import parks an order whose customer, address or order create had an unknown fate
   * before it looks it up again, in ms (default: three times `settleTime`). The rest of the chunk goes on
   * meanwhile, so this wait costs a run little; set it above Omnitron's slowest create.
   */
  parkTime?: number | undefined;
  /** Retries of GET and PATCH (and of creates, behind a look-up). */
  retry?: RestRetryOptions | undefined;
  /**
   * How long geography look-ups and the cargo company list are remembered, in ms (default 600 000; 0
   * turns it off). Only answers are kept: an unknown city is asked again every time.
   */
  cacheTtl?: number | undefined;
  /** Items per page when listing (1 to 1000, default 100). */
  pageSize?: number | undefined;
  /**
   * The most pages one list may have (default 1000). A server that ignores `?page=` and claims a huge
   * `count` would otherwise be paged for ever: a longer list is an `OmnitronResponseError`. Raise it with
   * `pageSize` in mind (`pageSize × maxPages` items at most).
   */
  maxPages?: number | undefined;
  /** Where tokens are kept (default: memory). */
  tokenStore?: TokenStore | undefined;
  /** A pino-compatible logger (default: silent). */
  logger?: Logger | undefined;
  /**
   * A `fetch` to use instead of the SDK's own (a proxy agent, a test double). Without one the SDK sends its
   * requests over `node:http`/`node:https` with keep-alive connections, doing what Node's global `fetch`
   * does at a fraction of its CPU and memory; a global `fetch` replaced after start-up (a test's stub) is
   * still the one used. It is called once per attempt with the URL (a string) and an init holding the
   * method, the headers (a `Headers`), the body (a string, or `null`), a signal and `redirect: 'manual'`;
   * `new Request(input, init)` gives the request whole.
   */
  fetch?: typeof globalThis.fetch | undefined;
}

/**
 * How `OmnitronRestIntegration` retries GET and PATCH (and creates, behind a look-up).
 *
 * @group Adapters
 */
export interface RestRetryOptions {
  /** Retries after the first attempt (0 to 10, default 3). */
  limit?: number | undefined;
  /** The longest wait between attempts, in ms (default 10 000). */
  backoffLimit?: number | undefined;
  /** The first wait, in ms, doubled each time (default 300). */
  baseDelay?: number | undefined;
}

// The interfaces above are what users read; the schema checks values at run time. tsc fails here the
// moment the two disagree.
const _sameShape: SameShape<OmnitronRestIntegrationOptions, z.input<typeof RestOptionsSchema>> = true;
const _sameRetry: SameShape<RestRetryOptions, NonNullable<z.input<typeof RestOptionsSchema>['retry']>> = true;
void [_sameShape, _sameRetry];

/**
 * The check of {@link OmnitronRestIntegrationOptions}, run when an `OmnitronRestIntegration` is
 * constructed (and usable on its own, to check settings read from the environment at start-up). It fills
 * in no defaults: the integration applies them.
 *
 * @group Adapters
 */
export const OmnitronRestOptions: z.ZodType<CheckedRestOptions, OmnitronRestIntegrationOptions> =
  RestOptionsSchema;

/**
 * What {@link OmnitronRestOptions} gives back: the options as given, with the ids as numbers.
 *
 * @group Adapters
 */
export interface CheckedRestOptions extends Omit<OmnitronRestIntegrationOptions, 'channelId' | 'catalogId'> {
  /** The sales channel's Omnitron id. */
  channelId: number;
  /** The catalog's id, when given. */
  catalogId?: number | undefined;
}

/** {@link OmnitronRestIntegrationOptions} once checked and defaulted. */
export interface RestSettings {
  baseUrl: string;
  username: string;
  password: string;
  channelId: number;
  catalogId: number | undefined;
  timeout: number;
  deadline: number | undefined;
  maxResponseBytes: number;
  maxRetryAfter: number;
  settleTime: number;
  parkTime: number;
  retry: Required<{ [K in keyof RestRetryOptions]: number }>;
  cacheTtl: number;
  pageSize: number;
  maxPages: number;
  tokenStore: TokenStore;
  logger: Logger;
  fetch: typeof globalThis.fetch | undefined;
}

/**
 * The one resolve step of `OmnitronRestIntegration`'s options: checks them (throws `InvalidOptionsError`,
 * which never repeats a value: the URL may hold a password) and applies every default from
 * {@link REST_DEFAULTS}.
 */
export function resolveRestOptions(options: OmnitronRestIntegrationOptions): RestSettings {
  const parsed = RestOptionsSchema.safeParse(options);
  if (!parsed.success) throw InvalidOptionsError.fromZod('OmnitronRestIntegration', parsed.error);
  const o = parsed.data;
  const timeout = o.timeout ?? REST_DEFAULTS.timeout;
  // A server slower than our timeout is still working on a request we gave up on: give it that long again.
  const settleTime = o.settleTime ?? timeout;
  return {
    baseUrl: o.baseUrl,
    username: o.username,
    password: o.password,
    channelId: o.channelId,
    catalogId: o.catalogId,
    timeout,
    deadline: o.deadline,
    maxResponseBytes: o.maxResponseBytes ?? REST_DEFAULTS.maxResponseBytes,
    maxRetryAfter: o.maxRetryAfter ?? REST_DEFAULTS.maxRetryAfter,
    settleTime,
    parkTime: o.parkTime ?? REST_DEFAULTS.parkTimeFactor * settleTime,
    retry: { ...REST_DEFAULTS.retry, ...definedOnly(o.retry ?? {}) },
    cacheTtl: o.cacheTtl ?? REST_DEFAULTS.cacheTtl,
    pageSize: o.pageSize ?? REST_DEFAULTS.pageSize,
    maxPages: o.maxPages ?? REST_DEFAULTS.maxPages,
    tokenStore: o.tokenStore ?? new InMemoryTokenStore(),
    logger: o.logger ?? silentLogger,
    fetch: o.fetch,
  };
}

/** The fields of an object whose value is not `undefined`, so a spread keeps the defaults under them. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
