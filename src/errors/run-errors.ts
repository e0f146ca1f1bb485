// Errors about a run itself rather than one item: stopped, not allowed to start, waiting too long for a
// lock, misconfigured, or failing in a way nobody foresaw.
import type { z } from 'zod';
import { brandClass } from '../foundation/brand.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { ChannelAppError } from './channel-app-error.js';
import { isAnError, snapshotError } from './error-snapshot.js';

/**
 * The caller's `AbortSignal` stopped a flow before it finished; its batch request was closed as `fail`.
 *
 * @group Errors
 */
export class FlowAbortedError extends ChannelAppError {
  static {
    brandClass(FlowAbortedError, 'FlowAbortedError');
  }

  constructor(flow: string, cause?: unknown) {
    super('FLOW_ABORTED', `Flow ${flow} was aborted`, { cause, retriable: true });
  }
}

/**
 * The Omnitron channel is switched off, so no flow runs for it.
 *
 * @group Errors
 */
export class ChannelInactiveError extends ChannelAppError {
  static {
    brandClass(ChannelInactiveError, 'ChannelInactiveError');
  }

  /** Omnitron id of the channel. */
  readonly channelId: number;

  constructor(channelId: number) {
    super(
      'CHANNEL_INACTIVE',
      `Channel ${channelId} is inactive in Omnitron; no flow runs for it until it is activated`,
    );
    this.channelId = channelId;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), channelId: this.channelId };
  }
}

/**
 * A shared lock (see `KeyedLock`) stayed held by someone else for longer than the caller would wait. The
 * work it guards was not done; trying again later may succeed.
 *
 * @group Errors
 */
export class LockTimeoutError extends ChannelAppError {
  static {
    brandClass(LockTimeoutError, 'LockTimeoutError');
  }

  /** How long the caller waited, in ms. */
  readonly waitedMs: number;

  constructor(what: string, waitedMs: number) {
    super('LOCK_TIMEOUT', `Waited ${waitedMs} ms for the lock of ${what}; another run still holds it`, {
      retriable: true,
    });
    this.waitedMs = waitedMs;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), waitedMs: this.waitedMs };
  }
}

/**
 * Options given to an SDK class or flow are missing or wrong; the message names each option.
 *
 * @group Errors
 */
export class InvalidOptionsError extends ChannelAppError {
  static {
    brandClass(InvalidOptionsError, 'InvalidOptionsError');
  }

  /** The class or function whose options were rejected. */
  readonly target: string;
  /** One line per problem, `option: message`. */
  readonly problems: string[];

  constructor(target: string, problems: string[], cause?: unknown) {
    super('INVALID_OPTIONS', `Invalid options for ${target}: ${problems.join('; ')}`, { cause });
    this.target = target;
    this.problems = problems;
  }

  /** Builds the error from a zod validation failure of an options object. */
  static fromZod(target: string, error: z.ZodError): InvalidOptionsError {
    const problems = error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return new InvalidOptionsError(target, problems, error);
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), target: this.target, problems: this.problems };
  }
}

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

/**
 * Something that is not one of the SDK's known failures was thrown (a bug in an adapter or in the SDK).
 * A redacted {@link ErrorSnapshot} of it (name, code, message, stack) is kept as `cause`, never the thrown
 * object itself, which may hold credentials in properties no redactor looks at.
 *
 * @group Errors
 */
export class UnexpectedError extends ChannelAppError {
  static {
    brandClass(UnexpectedError, 'UnexpectedError');
  }

  /**
   * @param cause - what was thrown
   * @param redactor - strips known secret values (the service's `secrets`) from the message and cause
   */
  constructor(cause: unknown, redactor?: SecretRedactor) {
    const snapshot = snapshotError(cause, redactor);
    const reason = isAnError(cause) ? `${snapshot.name}: ${snapshot.message}` : snapshot.message;
    super('UNEXPECTED', `Unexpected error: ${reason}`, { cause: snapshot });
  }

  /** Returns the error itself when it is already a `ChannelAppError`, else wraps it (redacted). */
  static wrap(error: unknown, redactor?: SecretRedactor): ChannelAppError {
    return isChannelAppError(error) ? (error as ChannelAppError) : new UnexpectedError(error, redactor);
  }
}

function isChannelAppError(value: unknown): boolean {
  try {
    return value instanceof ChannelAppError;
  } catch {
    return false;
  }
}
