import type { z } from 'zod';
import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

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
