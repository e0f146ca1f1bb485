import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * The Redis behind the webhook intake would lose events it was given: it persists nothing (neither AOF nor
 * RDB snapshots), so a restart empties it, or its `maxmemory-policy` evicts keys under memory pressure. The
 * handler answers 202 only once an event is stored, which promises the marketplace that it is kept; on
 * such a Redis that promise does not hold, so the handler refuses to start. Turn persistence on and set
 * `maxmemory-policy noeviction`, or pass `allowVolatileRedis: true` (development, tests) to go on anyway.
 *
 * @group Errors
 */
export class VolatileRedisError extends ChannelAppError {
  static {
    brandClass(VolatileRedisError, 'VolatileRedisError');
  }

  /** What was found wrong, such as `appendonly is "no" and save is "" (nothing is persisted)`. */
  readonly reasons: string[];

  constructor(reasons: string[]) {
    super(
      'VOLATILE_REDIS',
      `Redis would lose the webhook events answered 202: ${reasons.join('; ')}. Turn on AOF (appendonly yes) ` +
        'or RDB snapshots (save) and set maxmemory-policy noeviction, or pass allowVolatileRedis: true',
    );
    this.reasons = reasons;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), reasons: this.reasons };
  }
}
