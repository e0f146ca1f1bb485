// Errors on the marketplace's side: what the adapter threw or refused, what it yielded that failed its
// schema, and what it does not support.
import type { z } from 'zod';
import { brandClass } from '../foundation/brand.js';
import type { SecretRedactor } from '../foundation/redact.js';
import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';
import { snapshotError } from './error-snapshot.js';

/**
 * Options of {@link ChannelError}.
 *
 * @group Errors
 */
export interface ChannelErrorOptions extends Omit<ChannelAppErrorOptions, 'cause'> {
  /** What the adapter threw; only a redacted snapshot of it is kept. */
  cause?: unknown;
  /**
   * Strips the secrets the service knows (its `secrets` option) from the message and the cause. Without
   * one, only secret-looking keys and `Authorization` values are stripped.
   */
  redactor?: SecretRedactor;
}

/**
 * The channel adapter (the marketplace side) threw while a flow called it. Its `cause` is a redacted
 * {@link ErrorSnapshot} of what the adapter threw (name, code, message, stack), never the thrown object
 * itself: an HTTP client's error often carries the request's headers or config, API keys included.
 *
 * @group Errors
 */
export class ChannelError extends ChannelAppError {
  static {
    brandClass(ChannelError, 'ChannelError');
  }

  /** The `ChannelIntegration` method that failed. */
  readonly operation: string;

  constructor(operation: string, options: ChannelErrorOptions = {}) {
    const { redactor, cause: thrown, ...rest } = options;
    const cause = thrown === undefined ? undefined : snapshotError(thrown, redactor);
    const reason = cause?.message ?? 'unknown error';
    super('CHANNEL_ERROR', `Channel adapter failed in ${operation}: ${reason}`, {
      retriable: true,
      ...rest,
      ...(cause ? { cause } : {}),
    });
    this.operation = operation;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), operation: this.operation };
  }
}

/**
 * The marketplace answered and refused the change (a `FAIL` result): the adapter worked, the marketplace
 * said no. The batch object gets `failed_reason_type: remote`, and the change is offered again next run.
 *
 * @group Errors
 */
export class RemoteRejectedError extends ChannelAppError {
  static {
    brandClass(RemoteRejectedError, 'RemoteRejectedError');
  }

  /** What was refused, such as `order DEMO-1006`. */
  readonly subject: string;
  /** The marketplace's reason. */
  readonly reason: string;

  constructor(subject: string, reason: string) {
    super('REMOTE_REJECTED', `The marketplace refused ${subject}: ${reason}`, { retriable: true });
    this.subject = subject;
    this.reason = reason;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), subject: this.subject, reason: this.reason };
  }
}

/**
 * The channel adapter does not implement an optional operation that a flow needs.
 *
 * @group Errors
 */
export class NotSupportedError extends ChannelAppError {
  static {
    brandClass(NotSupportedError, 'NotSupportedError');
  }

  /** The `ChannelIntegration` method that is not implemented. */
  readonly operation: string;

  constructor(operation: string, channelName: string) {
    super(
      'NOT_SUPPORTED',
      `${operation} is not supported by this channel (${channelName}); override it in your ChannelIntegration subclass to use it`,
    );
    this.operation = operation;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), operation: this.operation };
  }
}

/**
 * One problem found while validating data, with the dotted path of the field it concerns.
 *
 * @group Errors
 */
export interface PayloadIssue {
  /** Dotted path of the field, such as `items.0.price`; empty for the value as a whole. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * Where invalid data came from.
 *
 * @group Errors
 */
export type PayloadSource = 'channel' | 'omnitron';

/**
 * Data crossing a port did not match its schema: a marketplace payload the channel adapter yielded, or an
 * Omnitron response. The message names every offending field.
 *
 * @group Errors
 */
export class InvalidPayloadError extends ChannelAppError {
  static {
    brandClass(InvalidPayloadError, 'InvalidPayloadError');
  }

  /** Which side sent the invalid data. */
  readonly source: PayloadSource;
  /** What the data was meant to be, such as `channel order` or `GET orders/`. */
  readonly subject: string;
  /** Every problem found. */
  readonly issues: PayloadIssue[];

  constructor(source: PayloadSource, subject: string, issues: PayloadIssue[], cause?: unknown) {
    const from = source === 'channel' ? 'The channel adapter gave' : 'Omnitron answered with';
    super('INVALID_PAYLOAD', `${from} an invalid ${subject}: ${formatIssues(issues)}`, { cause });
    this.source = source;
    this.subject = subject;
    this.issues = issues;
  }

  /**
   * Builds the error from a zod validation failure. Where zod reports the value it refused (parsed with
   * `reportInput`), a short rendering of it joins the message, so `expected string, received number`
   * says which number. The `ZodError` itself is not kept: with the values in it, it would carry the
   * marketplace's data unredacted into every log of the error.
   */
  static fromZod(source: PayloadSource, subject: string, error: z.ZodError): InvalidPayloadError {
    const issues = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: 'input' in issue ? `${issue.message} (got ${preview(issue.input)})` : issue.message,
    }));
    return new InvalidPayloadError(source, subject, issues);
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), source: this.source, subject: this.subject, issues: this.issues };
  }
}

/** Renders issues as `path: message; path: message`, short enough for a log line. */
function formatIssues(issues: PayloadIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return shown.join('; ') + more;
}

/** A value as a message shows it: JSON, at most 60 characters. */
function preview(value: unknown): string {
  let text: string;
  try {
    text =
      value === undefined
        ? 'undefined'
        : typeof value === 'bigint'
          ? `${value}n`
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
