import type { ContentTypeName } from '../dto/common.js';
import type { ChannelReport, ErrorReport } from '../dto/error-report.js';
import type { ChannelAppError } from '../errors/channel-app-error.js';
import { UnknownLocationError } from '../errors/unknown-location-error.js';
import type { OmnitronIntegration } from '../integrations/omnitron-integration.js';
import type { Logger } from './logger.js';
import type { SecretRedactor } from './redact.js';

/** The Omnitron object a report is about. */
export interface ReportSubject {
  /** The Omnitron model. */
  contentType: ContentTypeName;
  /** Omnitron id of the object. */
  objectId: number;
  /** The object's `modified_date`, when known: sent as the report's `obj_modified_date`. */
  modifiedDate?: string;
}

/** Counts of reports a run sent, and of those Omnitron did not take. */
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

  /** Reports a failed step; an unknown location also goes to Omnitron's address-mapping screen. */
  async failure(step: string, key: string, error: ChannelAppError, subject?: ReportSubject): Promise<void> {
    if (error instanceof UnknownLocationError) await this.#addressMapping(error);
    await this.#send({
      step,
      key,
      subject,
      isOk: false,
      rawRequest: error.http ? `${error.http.method} ${error.http.path}` : '',
      rawResponse: describeError(error),
    });
  }

  /** Reports a successful step, when the flow runs with `isSuccessLog`. */
  async success(step: string, key: string, message: string, subject?: ReportSubject): Promise<void> {
    if (!this.#isSuccessLog) return;
    await this.#send({ step, key, subject, isOk: true, rawRequest: '', rawResponse: message });
  }

  /** Forwards a report a channel adapter attached to an item (failures always, successes with `isSuccessLog`). */
  async channel(step: string, key: string, report: ChannelReport): Promise<void> {
    if (report.isOk && !this.#isSuccessLog) return;
    await this.#send({
      step,
      key,
      isOk: report.isOk,
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
    rawRequest: string;
    rawResponse: string;
  }): Promise<void> {
    const report: ErrorReport = {
      actionContentType: input.subject?.contentType ?? 'batchrequest',
      actionObjectId: input.subject?.objectId ?? this.#batch.id,
      errorCode: `${this.#batch.localBatchId}-${input.step}-${input.key}`.slice(0, 256),
      errorDescription: input.step,
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

/** `CODE: message` and the error's details as JSON: what a merchant needs, without a stack trace. */
export function describeError(error: ChannelAppError): string {
  const details = error.details();
  return Object.keys(details).length > 0
    ? `${error.code}: ${error.message}\n${JSON.stringify(details)}`
    : `${error.code}: ${error.message}`;
}
