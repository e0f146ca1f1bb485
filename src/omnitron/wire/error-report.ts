import { z } from 'zod';
import type { ContentTypeName } from '../../dto/common.js';
import type { AddressErrorReport, ErrorReport } from '../../dto/error-report.js';

/** Content type ids by model name, as Omnitron numbers them. */
export type ContentTypeIds = (model: ContentTypeName) => Promise<number>;

/** The POST body of an error report; content types travel as Omnitron ids. */
export async function errorReportToJson(r: ErrorReport, channelId: number, contentTypeId: ContentTypeIds) {
  return {
    action_content_type: await contentTypeId(r.actionContentType),
    action_object_id: r.actionObjectId,
    error_code: r.errorCode,
    error_desc: r.errorDescription,
    is_ok: r.isOk,
    obj_modified_date: r.modifiedDate,
    raw_request: r.rawRequest,
    raw_response: r.rawResponse,
    target_content_type: await contentTypeId(r.targetContentType ?? 'channel'),
    target_object_id: r.targetObjectId ?? String(channelId),
  };
}

/** The error report body parsed back (the mock server's side), with content type ids turned into names. */
export function errorReportJson(modelOf: (id: number) => ContentTypeName | undefined) {
  const model = z.number().transform((id, ctx) => {
    const name = modelOf(id);
    if (!name) ctx.addIssue({ code: 'custom', message: `unknown content type id ${id}` });
    return name ?? 'channel';
  });
  return z
    .object({
      action_content_type: model,
      action_object_id: z.number().int(),
      error_code: z.string().min(1),
      error_desc: z.string(),
      is_ok: z.boolean(),
      obj_modified_date: z.string(),
      raw_request: z.string().nullable(),
      raw_response: z.string(),
      target_content_type: model,
      target_object_id: z.string(),
    })
    .transform(
      (r): ErrorReport => ({
        actionContentType: r.action_content_type,
        actionObjectId: r.action_object_id,
        errorCode: r.error_code,
        errorDescription: r.error_desc,
        isOk: r.is_ok,
        modifiedDate: r.obj_modified_date,
        rawRequest: r.raw_request ?? '',
        rawResponse: r.raw_response,
        targetContentType: r.target_content_type,
        targetObjectId: r.target_object_id,
      }),
    );
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

/** The address-mapping report parsed back (the mock server's side). */
export const AddressErrorReportJson = z
  .object({
    type: z.enum(['country', 'city', 'township', 'district']),
    remote_code: z.string(),
    name: z.string(),
    country_id: z.number().optional(),
    city_id: z.number().optional(),
    township_id: z.number().optional(),
    integration_type: z.literal('sales_channel'),
    err_code: z.string(),
    err_desc: z.string(),
  })
  .transform(
    (r): AddressErrorReport => ({
      type: r.type,
      remoteCode: r.remote_code,
      name: r.name,
      ...(r.country_id !== undefined ? { countryId: r.country_id } : {}),
      ...(r.city_id !== undefined ? { cityId: r.city_id } : {}),
      ...(r.township_id !== undefined ? { townshipId: r.township_id } : {}),
      integrationType: r.integration_type,
      errCode: r.err_code,
      errDesc: r.err_desc,
    }),
  );

/** The content types the order flows use, as Omnitron lists them. */
export const ContentTypeJson = z.object({ id: z.number().int(), model: z.string() });
