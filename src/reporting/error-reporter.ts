import type { ContentTypeName } from '../dto/common.js';
import type { ChannelReport, ErrorReport } from '../dto/error-report.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { UnknownLocationError } from '../errors/lookup-errors.js';
import type { Logger } from '../foundation/logger.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';

/**
 * The Omnitron object a report is about.
 *
 * @group Flows
 */
export interface ReportSubject {
  /** The Omnitron model. */
  contentType: ContentTypeName;
  /** Omnitron id of the object. */
  objectId: number;
  /** The object's `modified_date`, when known: sent as the report's `obj_modified_date`. */
  modifiedDate?: string;
}

/**
 * Counts of reports a run sent, and of those Omnitron did not take.
 *
 * @group Flows
 */
export interface ReportCounts {
  /** Reports Omnitron took. */
  sent: number;
  /** Reports Omnitron did not take (logged as warnings). */
  failedToSend: number;
}

/**
 * Omnitron's address-mapping error codes, by location level. Omnitron maps countries by hand (it has no
 * code for an unmapped country), so an unknown country gets the ordinary error report only.
 */
const ADDRESS_ERROR_CODES = {
  city: 'integrations_200_10_2',
  township: 'integrations_200_10_1',
  district: 'integrations_200_10_3',
} as const;

/**
 * Writes a flow's error reports (the rows of Omnitron's Sales Channel Logs) for one batch request.
 * Log ids read `<local batch id>-<Step>-<key>`, so a merchant can filter by batch, step or order.
 * Every text is redacted first. A report Omnitron refuses never stops a flow: it is logged and counted.
 *
 * @group Flows
 */
export class ErrorReporter {
  readonly #omnitron: OmnitronIntegration;
  readonly #redactor: SecretRedactor;
  readonly #logger: Logger;
  readonly #batch: { id: number; localBatchId: string };
  readonly #isSuccessLog: boolean;
  readonly #batchVersion: () => string | undefined;
  /** Reports sent so far, and reports Omnitron did not take. */
  readonly counts: ReportCounts = { sent: 0, failedToSend: 0 };

  constructor(options: {
    omnitron: OmnitronIntegration;
    redactor: SecretRedactor;
    logger: Logger;
    batch: { id: number; localBatchId: string };
    isSuccessLog: boolean;
    /** The batch request's `modified_date` as Omnitron last answered it, for reports about the batch. */
    batchVersion?: () => string | undefined;
  }) {
    this.#omnitron = options.omnitron;
    this.#redactor = options.redactor;
    this.#logger = options.logger;
    this.#batch = options.batch;
    this.#isSuccessLog = options.isSuccessLog;
    this.#batchVersion = options.batchVersion ?? (() => undefined);
  }

  /**
   * Reports a failed step: its reason in `error_desc` (what Sales Channel Logs list), the failing
   * marketplace data in `raw_request` (whatever `isSuccessLog` says: the merchant needs it to fix the
   * data), and the typed error with its details in `raw_response`. An unknown location also goes to
   * Omnitron's address-mapping screen.
   */
  async failure(
    step: string,
    key: string,
    error: ChannelAppError,
    subject?: ReportSubject,
    payload?: unknown,
  ): Promise<void> {
    if (error instanceof UnknownLocationError) await this.#addressMapping(error);
    const request = error.http ? `${error.http.method} ${error.http.path}` : '';
    const data = payload === undefined ? '' : payloadText(payload);
    await this.#send({
      step,
      key,
      subject,
      isOk: false,
      description: `${step} failed: ${error.message}`,
      rawRequest: [request, data].filter((part) => part !== '').join('\n'),
      rawResponse: describeError(error),
    });
  }

  /** Reports a successful step, when the flow runs with `isSuccessLog`. */
  async success(step: string, key: string, message: string, subject?: ReportSubject): Promise<void> {
    if (!this.#isSuccessLog) return;
    const description = `${step}: ${message}`;
    await this.#send({ step, key, subject, isOk: true, description, rawRequest: '', rawResponse: message });
  }

  /** Forwards a report a channel adapter attached to an item (failures always, successes with `isSuccessLog`). */
  async channel(step: string, key: string, report: ChannelReport): Promise<void> {
    if (report.isOk && !this.#isSuccessLog) return;
    const outcome = report.isOk ? 'marketplace call succeeded' : 'marketplace call failed';
    await this.#send({
      step,
      key,
      isOk: report.isOk,
      description: `${step}: ${report.message ?? outcome}`,
      rawRequest: report.rawRequest ?? '',
      rawResponse: report.rawResponse ?? report.message ?? '',
    });
  }

  async #addressMapping(error: UnknownLocationError): Promise<void> {
    if (error.kind === 'country') return;
    const parent =
      error.kind === 'city' ? `country id: ${error.context.countryId}` : `city id: ${error.context.cityId}`;
    try {
      await this.#omnitron.createAddressErrorReport({
        type: error.kind,
        remoteCode: error.remoteCode,
        name: this.#redactor.redactText(error.value),
        ...error.context,
        integrationType: 'sales_channel',
        errCode: ADDRESS_ERROR_CODES[error.kind],
        errDesc: `Address is not valid. code: ${error.remoteCode} model: ${error.kind} ${parent}`,
      });
      this.counts.sent += 1;
    } catch (cause) {
      this.#refused('address mapping', cause);
    }
  }

  async #send(input: {
    step: string;
    key: string;
    subject?: ReportSubject | undefined;
    isOk: boolean;
    /** One line a merchant reads in the list of Sales Channel Logs. */
    description: string;
    rawRequest: string;
    rawResponse: string;
  }): Promise<void> {
    const report: ErrorReport = {
      actionContentType: input.subject?.contentType ?? 'batchrequest',
      actionObjectId: input.subject?.objectId ?? this.#batch.id,
      errorCode: `${this.#batch.localBatchId}-${input.step}-${input.key}`.slice(0, 256),
      errorDescription: this.#redactor.redactText(oneLine(input.description, DESCRIPTION_LIMIT)),
      isOk: input.isOk,
      rawRequest: this.#redactor.redactText(input.rawRequest),
      rawResponse: this.#redactor.redactText(input.rawResponse),
    };
    // The version of the object the report is about (Omnitron's `obj_modified_date`), never the current
    // time: a report about an object whose version is not known leaves the field out.
    const version = input.subject ? input.subject.modifiedDate : this.#batchVersion();
    if (version) report.modifiedDate = version;
    try {
      await this.#omnitron.createErrorReport(report);
      this.counts.sent += 1;
    } catch (cause) {
      this.#refused(report.errorCode, cause);
    }
  }

  #refused(what: string, cause: unknown): void {
    this.counts.failedToSend += 1;
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.#logger.warn(
      { report: what, reason: this.#redactor.redactText(reason) },
      'Omnitron did not take an error report',
    );
  }
}

/** The longest `error_desc` Omnitron takes: one readable line in the list of Sales Channel Logs. */
const DESCRIPTION_LIMIT = 256;
/** The most of a failing payload a report carries. */
const PAYLOAD_LIMIT = 64 * 1024;

/** A text on one line, cut to `limit` characters. */
function oneLine(text: string, limit: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** The failing data as JSON, cut to {@link PAYLOAD_LIMIT} (it is redacted with the rest of the report). */
function payloadText(payload: unknown): string {
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? '');
  } catch {
    // Data that reaches a report was copied into plain data already; this only guards against surprises.
    return '';
  }
  return text.length > PAYLOAD_LIMIT
    ? `${text.slice(0, PAYLOAD_LIMIT)}…(cut at ${PAYLOAD_LIMIT} characters)`
    : text;
}

/**
 * `CODE: message` and the error's details as JSON: what a merchant needs, without a stack trace.
 *
 * @group Flows
 */
export function describeError(error: ChannelAppError): string {
  const details = error.details();
  return Object.keys(details).length > 0
    ? `${error.code}: ${error.message}\n${JSON.stringify(details)}`
    : `${error.code}: ${error.message}`;
}
