import { z } from 'zod';
import { isLogger, type Logger } from '../foundation/logger.js';
import type { TokenStore } from './token-store.js';

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

// Strict: a misspelt option (`timeOut`) is an error naming it, not silently ignored.
/**
 * The options of `OmnitronRestIntegration`, validated when it is constructed.
 *
 * @group Adapters
 */
export const OmnitronRestOptions = z.strictObject({
  /** Omnitron's address, such as `https://omnitron.example.com` (the SDK adds `/api/v1/`). */
  baseUrl: z
    .url({ protocol: /^https?$/, ...required('an http or https URL such as https://omnitron.example.com') })
    .refine(hasNoCredentials, {
      // The URL itself is not repeated: it holds a password.
      message: 'must not contain a user name or password (give them as username and password)',
      abort: true,
    }),
  /** The channel app's Omnitron user. */
  username: z.string(required('a string')).min(1, 'is required'),
  /** Its password; it never appears in logs, errors or reports. */
  password: z.string(required('a string')).min(1, 'is required'),
  /** The sales channel's Omnitron id; a numeric string (from an environment variable) is accepted. */
  channelId: z.coerce.number(required('a channel id')).int().positive('must be a positive channel id'),
  /** The catalog whose price and stock lists new order items default to. */
  catalogId: z.coerce.number().int().positive('must be a positive catalog id').optional(),
  /** Per attempt, in ms: how long to wait for the headers of an answer (default 30 000). */
  timeout: z.number().int().positive().max(MAX_TIMER).default(30_000),
  /**
   * The most one request may take in all, in ms: headers, body, every retry and wait, a fresh login
   * (default: what the retry policy may take at worst, `timeout × (retry.limit + 1) + retry.backoffLimit ×
   * retry.limit`, 150 000 with the defaults).
   */
  deadline: z.number().int().positive().max(MAX_TIMER).optional(),
  /** The largest answer read, in bytes (default 20 MiB); a larger one is an `OmnitronResponseError`. */
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /**
   * The longest `Retry-After` honoured, in ms (default 30 000). A 429 or 503 asking for a longer wait, or
   * for one that would end after the deadline, fails at once instead of waiting.
   */
  maxRetryAfter: z.number().int().nonnegative().max(MAX_TIMER).default(30_000),
  /**
   * How long Omnitron may still be working on a create the client gave up on (a timeout, a lost answer),
   * in ms (default: `timeout`). Such a create is looked up, and looked up again after this long, before it
   * is ever sent again; set it above Omnitron's slowest create.
   */
  settleTime: z.number().int().nonnegative().max(MAX_TIMER).optional(),
  /**
   * How long the order import parks an order whose customer, address or order create had an unknown fate
   * before it looks it up again, in ms (default: three times `settleTime`). The rest of the chunk goes on
   * meanwhile, so this wait costs a run little; set it above Omnitron's slowest create.
   */
  parkTime: z.number().int().nonnegative().max(MAX_TIMER).optional(),
  /** Retries of GET and PATCH (and of creates, behind a look-up). */
  retry: z
    .strictObject({
      /** Retries after the first attempt (default 3). */
      limit: z.number().int().min(0).max(10).default(3),
      /** The longest wait between attempts, in ms (default 10 000). */
      backoffLimit: z.number().int().nonnegative().max(MAX_TIMER).default(10_000),
      /** The first wait, in ms, doubled each time (default 300). */
      baseDelay: z.number().int().nonnegative().max(MAX_TIMER).default(300),
    })
    .default({ limit: 3, backoffLimit: 10_000, baseDelay: 300 }),
  /**
   * How long geography look-ups and the cargo company list are remembered, in ms (default 600 000; 0
   * turns it off). Only answers are kept: an unknown city is asked again every time.
   */
  cacheTtl: z.number().int().nonnegative().default(600_000),
  /** Items per page when listing (default 100). */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /**
   * The most pages one list may have (default 1000). A server that ignores `?page=` and claims a huge
   * `count` would otherwise be paged for ever: a longer list is an `OmnitronResponseError`. Raise it with
   * `pageSize` in mind (`pageSize × maxPages` items at most).
   */
  maxPages: z.number().int().positive().default(1000),
  /** Where tokens are kept (default: memory). */
  tokenStore: z
    .custom<TokenStore>(isTokenStore, { message: 'must have get, set and delete methods' })
    .optional(),
  /** A pino-compatible logger. */
  logger: z.custom<Logger>(isLogger, { message: 'must have debug, info, warn and error methods' }).optional(),
  /** A `fetch` to use instead of the global one. */
  fetch: z
    .custom<typeof globalThis.fetch>((v) => typeof v === 'function', { message: 'must be a function' })
    .optional(),
});

/**
 * The options of `OmnitronRestIntegration`: what {@link OmnitronRestOptions} accepts, so the fields and
 * their checks are declared once, there.
 *
 * @interface
 *
 * @group Adapters
 */
export type OmnitronRestIntegrationOptions = z.input<typeof OmnitronRestOptions>;
