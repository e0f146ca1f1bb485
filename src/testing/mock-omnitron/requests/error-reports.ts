import { z } from 'zod';
import type { ContentTypeName } from '../../../dto/common.js';
import type { AddressErrorReport, ErrorReport } from '../../../dto/error-report.js';
import { dateTime, nullableText, pk } from './shared.js';

/**
 * `POST error_reports/`: the fields the Python client sent. `obj_modified_date` is the reported object's
 * `modified_date`; the reference lists it without marking it required, so it may be left out.
 */
export function errorReportBody(modelOf: (id: number) => ContentTypeName | undefined) {
  const model = pk.transform((id, ctx) => {
    const name = modelOf(id);
    if (!name) ctx.addIssue({ code: 'custom', message: `Invalid pk "${id}" - object does not exist.` });
    return name ?? 'channel';
  });
  return z
    .strictObject({
      action_content_type: model,
      action_object_id: z.number().int(),
      error_code: z.string().min(1).max(256),
      error_desc: z.string(),
      is_ok: z.boolean(),
      obj_modified_date: dateTime.nullable().optional(),
      raw_request: nullableText,
      raw_response: nullableText,
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
        ...(r.obj_modified_date != null ? { modifiedDate: r.obj_modified_date } : {}),
        rawRequest: r.raw_request ?? '',
        rawResponse: r.raw_response ?? '',
        targetContentType: r.target_content_type,
        targetObjectId: r.target_object_id,
      }),
    );
}

/** `POST error_reports/{type}/`: an address-mapping report, as the Python client sent it. */
export const AddressErrorReportBody = z
  .strictObject({
    type: z.enum(['country', 'city', 'township', 'district']),
    remote_code: z.string().min(1).max(255),
    name: z.string().optional(),
    country_id: pk.nullable().optional(),
    city_id: pk.nullable().optional(),
    township_id: pk.nullable().optional(),
    integration_type: z.literal('sales_channel'),
    err_code: z.string().nullable(),
    err_desc: z.string().nullable(),
  })
  .transform(
    (r): AddressErrorReport => ({
      type: r.type,
      remoteCode: r.remote_code,
      name: r.name ?? '',
      ...(r.country_id != null ? { countryId: r.country_id } : {}),
      ...(r.city_id != null ? { cityId: r.city_id } : {}),
      ...(r.township_id != null ? { townshipId: r.township_id } : {}),
      integrationType: r.integration_type,
      errCode: r.err_code ?? '',
      errDesc: r.err_desc ?? '',
    }),
  );
