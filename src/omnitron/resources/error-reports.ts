import type { ContentTypeName } from '../../dto/common.js';
import type { AddressErrorReport, ErrorReport } from '../../dto/error-report.js';
import { OmnitronResponseError } from '../../errors/omnitron-errors.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { wasDelivered } from '../delivery.js';
import { addressErrorReportToJson, ContentTypeJson, errorReportToJson } from '../wire/error-report.js';
import { Ignored, type RestContext } from './context.js';

/** Error reports (Sales Channel Logs), with the content type ids they name, looked up once per process. */
export class ErrorReports {
  readonly #ctx: RestContext;
  readonly #contentTypeIds = new Map<ContentTypeName, Promise<number>>();

  constructor(ctx: RestContext) {
    this.#ctx = ctx;
  }

  /** Writes an error report about an object. */
  async create(report: ErrorReport): Promise<void> {
    const ctx = this.#ctx;
    const json = await errorReportToJson(report, ctx.channelId, (model) => this.#contentTypeId(model));
    await this.#post(ctx.hooks.channelPath('error_reports/'), json);
  }

  /** Writes an error report about an address (an unknown city, township or district). */
  async createAddressReport(report: AddressErrorReport): Promise<void> {
    await this.#post(
      this.#ctx.hooks.channelPath(`error_reports/${report.type}/`),
      addressErrorReportToJson(report),
    );
  }

  /**
   * Posts a report, sending it again when its fate is unknown: a log row written twice is harmless, one
   * never written hides why an order was rejected.
   */
  async #post(path: string, json: unknown): Promise<void> {
    try {
      await createBehindLookup(
        () => this.#ctx.http.request('POST', path, { json, schema: Ignored }),
        null,
        this.#ctx.creates('error report'),
      );
    } catch (error) {
      // Answered 2xx: the report was written, whatever its answer looked like.
      if (!wasDelivered(error)) throw error;
    }
  }

  /** Omnitron's id of a content type, looked up once per process. */
  #contentTypeId(model: ContentTypeName): Promise<number> {
    let id = this.#contentTypeIds.get(model);
    if (!id) {
      id = (async () => {
        for await (const type of this.#ctx.http.paginate(
          'content_types/',
          { model },
          ContentTypeJson,
          this.#ctx.pageSize,
        ))
          if (type.model === model) return type.id;
        throw new OmnitronResponseError(`Omnitron has no content type "${model}"`, {
          http: { method: 'GET', path: 'content_types/' },
          retriable: false,
        });
      })();
      id.catch(() => this.#contentTypeIds.delete(model));
      this.#contentTypeIds.set(model, id);
    }
    return id;
  }
}
