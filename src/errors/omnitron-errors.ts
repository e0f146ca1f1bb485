// Errors from Omnitron's answers: its HTTP failures, a create whose fate is unknown, a refused batch
// transition and an order number it already holds. One family per file: see ./error-code.ts for the list.
import { brandClass } from '../foundation/brand.js';
import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';
import type { PayloadIssue } from './channel-errors.js';
import type { ErrorCode } from './error-code.js';

/**
 * Options of {@link OmnitronError} and its subclasses.
 *
 * @group Errors
 */
export interface OmnitronErrorOptions extends ChannelAppErrorOptions {
  /** A more precise code than `OMNITRON_ERROR`; set by the subclasses. */
  code?: ErrorCode;
  /** The request body, secrets redacted. */
  requestBody?: string;
  /** The response body, secrets redacted. */
  responseBody?: string;
  /**
   * `true` when Omnitron answered with a 2xx status, so the request was carried out, but the answer could
   * not be used (unreadable, not JSON, of the wrong shape, too large). Such a request must never be re-sent.
   */
  delivered?: boolean;
}

/**
 * Omnitron failed or refused a request. The subclasses say how: `OmnitronAuthError`,
 * `OmnitronNotFoundError`, `OmnitronConflictError`, `OmnitronValidationError`, `OmnitronServerError`,
 * `OmnitronNetworkError`, `OmnitronResponseError`. Bodies are kept with secrets redacted, ready for an
 * error report. `retriable` says whether trying again later may help (true unless a subclass says otherwise).
 *
 * @group Errors
 */
export class OmnitronError extends ChannelAppError {
  static {
    brandClass(OmnitronError, 'OmnitronError');
  }

  /** The request body, with secrets redacted, when there was one. */
  readonly requestBody: string | undefined;
  /** The response body, with secrets redacted, when there was one. */
  readonly responseBody: string | undefined;
  /**
   * `true` when Omnitron answered with a 2xx status (the request was carried out) but the answer could not
   * be used. A create that failed this way happened: look it up, never send it again.
   */
  readonly delivered: boolean;

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(options.code ?? 'OMNITRON_ERROR', message, { retriable: true, ...options });
    this.requestBody = options.requestBody;
    this.responseBody = options.responseBody;
    this.delivered = options.delivered ?? false;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      requestBody: this.requestBody,
      responseBody: this.responseBody,
      ...(this.delivered ? { delivered: true } : {}),
    };
  }
}

/**
 * Omnitron refused the credentials (login failed, or a request stayed 401/403 after a fresh login).
 *
 * @group Errors
 */
export class OmnitronAuthError extends OmnitronError {
  static {
    brandClass(OmnitronAuthError, 'OmnitronAuthError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_AUTH', retriable: false });
  }
}

/**
 * Omnitron refused a change because of the state of things (HTTP 406 or 409), such as a batch request
 * transition it does not allow (`batch_request_status_100_1`) or a lock another run holds.
 *
 * @group Errors
 */
export class OmnitronConflictError extends OmnitronError {
  static {
    brandClass(OmnitronConflictError, 'OmnitronConflictError');
  }

  /** Omnitron's own error code from the body, such as `batch_request_status_100_1`. */
  readonly omnitronCode: string | undefined;

  constructor(message: string, options: OmnitronErrorOptions & { omnitronCode?: string } = {}) {
    super(message, { ...options, code: 'OMNITRON_CONFLICT', retriable: false });
    this.omnitronCode = options.omnitronCode;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), omnitronCode: this.omnitronCode };
  }
}

/**
 * No answer from Omnitron: a timeout, a refused or reset connection, after every retry.
 *
 * @group Errors
 */
export class OmnitronNetworkError extends OmnitronError {
  static {
    brandClass(OmnitronNetworkError, 'OmnitronNetworkError');
  }

  /** Whether the request timed out (rather than failing to connect). */
  readonly timedOut: boolean;

  constructor(message: string, options: OmnitronErrorOptions & { timedOut?: boolean } = {}) {
    super(message, { ...options, code: 'OMNITRON_NETWORK', retriable: true });
    this.timedOut = options.timedOut ?? false;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), timedOut: this.timedOut };
  }
}

/**
 * Omnitron has no such object (HTTP 404).
 *
 * @group Errors
 */
export class OmnitronNotFoundError extends OmnitronError {
  static {
    brandClass(OmnitronNotFoundError, 'OmnitronNotFoundError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_NOT_FOUND', retriable: false });
  }
}

/**
 * Omnitron answered 2xx with a body the SDK cannot use: not JSON, or JSON of an unexpected shape. The
 * message names the endpoint and every offending field.
 *
 * @group Errors
 */
export class OmnitronResponseError extends OmnitronError {
  static {
    brandClass(OmnitronResponseError, 'OmnitronResponseError');
  }

  /** What was wrong, by field; empty when the body was not JSON at all. */
  readonly issues: PayloadIssue[];

  constructor(message: string, options: OmnitronErrorOptions & { issues?: PayloadIssue[] } = {}) {
    super(message, { ...options, code: 'OMNITRON_RESPONSE', retriable: true });
    this.issues = options.issues ?? [];
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), issues: this.issues };
  }
}

/**
 * Omnitron answered with a server error or kept rate-limiting (5xx, 429, 408) after every retry.
 *
 * @group Errors
 */
export class OmnitronServerError extends OmnitronError {
  static {
    brandClass(OmnitronServerError, 'OmnitronServerError');
  }

  constructor(message: string, options: OmnitronErrorOptions = {}) {
    super(message, { ...options, code: 'OMNITRON_SERVER', retriable: true });
  }
}

/**
 * Omnitron rejected the data sent (HTTP 400 and other 4xx), with its message per field when it gave one.
 *
 * @group Errors
 */
export class OmnitronValidationError extends OmnitronError {
  static {
    brandClass(OmnitronValidationError, 'OmnitronValidationError');
  }

  /** Omnitron's messages by field, from a DRF-style error body. */
  readonly fieldErrors: Record<string, string[]>;

  constructor(
    message: string,
    options: OmnitronErrorOptions & { fieldErrors?: Record<string, string[]> } = {},
  ) {
    super(message, { ...options, code: 'OMNITRON_VALIDATION', retriable: false });
    this.fieldErrors = options.fieldErrors ?? {};
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), fieldErrors: this.fieldErrors };
  }
}

/**
 * A create whose fate is unknown (its answer was lost, it timed out, Omnitron answered 5xx) and that a
 * look-up did not find yet. Omnitron may still be working on it, so it must not be sent again before
 * {@link CreateFateUnknownError.settleUntil}; only a caller that asked to be told (`deferUnknown`) gets
 * this error. The order import parks the order and looks it up again then, while the rest of the run
 * goes on; an order still unresolved after that fails with the original cause.
 *
 * @group Errors
 */
export class CreateFateUnknownError extends OmnitronError {
  static {
    brandClass(CreateFateUnknownError, 'CreateFateUnknownError');
  }

  /** What was created, such as `customer` or `order 1001`. */
  readonly what: string;
  /** When (epoch ms) Omnitron should have finished the create if it is ever going to. */
  readonly settleUntil: number;

  constructor(what: string, settleUntil: number, options: OmnitronErrorOptions = {}) {
    super(
      `The ${what} may or may not have been created (its answer was lost); it is looked up again before it ` +
        'is ever sent again',
      { ...options, code: 'CREATE_FATE_UNKNOWN', retriable: true },
    );
    this.what = what;
    this.settleUntil = settleUntil;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), what: this.what, settleUntil: new Date(this.settleUntil).toISOString() };
  }
}

/**
 * The error code Omnitron answers (HTTP 406) when it refuses a batch request status change.
 *
 * @group Errors
 */
export const BATCH_TRANSITION_REJECTED_CODE = 'batch_request_status_100_1';

/**
 * A batch request cannot move to the asked status: the state machine does not allow it, or Omnitron refused
 * it (for example because another batch of the same content type holds the `commit` lock).
 *
 * @group Errors
 */
export class BatchTransitionError extends ChannelAppError {
  static {
    brandClass(BatchTransitionError, 'BatchTransitionError');
  }

  /** Id of the batch request. */
  readonly batchRequestId: number;
  /** Its status before the attempt, when known. */
  readonly from: string | undefined;
  /** The status asked for. */
  readonly to: string;
  /** Omnitron's error code, when Omnitron refused (`batch_request_status_100_1`). */
  readonly omnitronCode: string | undefined;

  constructor(
    batchRequestId: number,
    from: string | undefined,
    to: string,
    reason: string,
    options: ChannelAppErrorOptions & { omnitronCode?: string } = {},
  ) {
    super(
      'BATCH_TRANSITION',
      `Batch request ${batchRequestId} cannot go from ${from ?? 'its current status'} to ${to}: ${reason}`,
      options,
    );
    this.batchRequestId = batchRequestId;
    this.from = from;
    this.to = to;
    this.omnitronCode = options.omnitronCode;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      batchRequestId: this.batchRequestId,
      from: this.from,
      to: this.to,
      omnitronCode: this.omnitronCode,
    };
  }
}

/**
 * Omnitron already has an order with this number on this channel.
 *
 * @group Errors
 */
export class DuplicateOrderError extends ChannelAppError {
  static {
    brandClass(DuplicateOrderError, 'DuplicateOrderError');
  }

  /** The order number. */
  readonly orderNumber: string;
  /** The marketplace id of the order that holds the number, when it differs from the one being imported. */
  readonly existingRemoteId: string | undefined;

  constructor(orderNumber: string, options: ChannelAppErrorOptions & { existingRemoteId?: string } = {}) {
    const holder = options.existingRemoteId ? ` for marketplace order "${options.existingRemoteId}"` : '';
    super(
      'DUPLICATE_ORDER',
      `Order number "${orderNumber}" already exists on this channel${holder}`,
      options,
    );
    this.orderNumber = orderNumber;
    this.existingRemoteId = options.existingRemoteId;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), orderNumber: this.orderNumber, existingRemoteId: this.existingRemoteId };
  }
}
