import { z } from 'zod';
import type { ContentTypeName } from '../../dto/common.js';
import type { AddressErrorReport, ErrorReport } from '../../dto/error-report.js';

/** Content type ids by model name, as Omnitron numbers them. */
export type ContentTypeIds = (model: ContentTypeName) => Promise<number>;

/**
 * The POST body of an error report; content types travel as Omnitron ids. `obj_modified_date` is the
 * reported object's `modified_date` (as Omnitron's reference describes it) and is left out when the SDK does
 * not know it: the reference lists the field without marking it required, and an absent optional field is
 * accepted where a `null` would be refused unless the field is also nullable. The Python client sent the
 * current time there, which claims a version of the object that never existed.
 */
export async function errorReportToJson(r: ErrorReport, channelId: number, contentTypeId: ContentTypeIds) {
  return {
    action_content_type: await contentTypeId(r.actionContentType),
    action_object_id: r.actionObjectId,
    error_code: r.errorCode,
    error_desc: r.errorDescription,
    is_ok: r.isOk,
    ...(r.modifiedDate ? { obj_modified_date: r.modifiedDate } : {}),
    raw_request: r.rawRequest,
    raw_response: r.rawResponse,
    target_content_type: await contentTypeId(r.targetContentType ?? 'channel'),
    target_object_id: r.targetObjectId ?? String(channelId),
  };
}

/** The POST body of an address-mapping report, sent to `error_reports/{type}/`. */
export function addressErrorReportToJson(r: AddressErrorReport) {
  return {
    type: r.type,
    remote_code: r.remoteCode,
    name: r.name,
    ...(r.countryId !== undefined ? { country_id: r.countryId } : {}),
    ...(r.cityId !== undefined ? { city_id: r.cityId } : {}),
    ...(r.townshipId !== undefined ? { township_id: r.townshipId } : {}),
    integration_type: r.integrationType,
    err_code: r.errCode,
    err_desc: r.errDesc,
  };
}

/** The content types the order flows use, as Omnitron lists them. */
export const ContentTypeJson = z.object({ id: z.number().int(), model: z.string() });
