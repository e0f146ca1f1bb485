import { z } from 'zod';
import { ContentTypeName } from './common.js';

/**
 * One row of Omnitron's Sales Channel Logs.
 *
 * @group Data
 */
export const ErrorReport = z.object({
  /** The Omnitron model the row is about: usually `batchrequest`, or `order` for one order. */
  actionContentType: ContentTypeName,
  /** **Omnitron's** id of the object the row is about. */
  actionObjectId: z.number().int(),
  /** Log id: `<local batch id>-<Step>-<key>` (at most 256 characters). */
  errorCode: z.string().min(1).max(256),
  /** Log detail: the step (at most 256 characters). */
  errorDescription: z.string().max(256),
  /** Successful (`true`) or Fail (`false`). */
  isOk: z.boolean(),
  /** What was asked, secrets redacted. */
  rawRequest: z.string(),
  /** What came back or what went wrong, secrets redacted. */
  rawResponse: z.string(),
  /** The reported object's Omnitron `modified_date` (ISO 8601), when known; left out otherwise. */
  modifiedDate: z.string().optional(),
  /** The Omnitron model the report is filed under; `channel` by default. */
  targetContentType: ContentTypeName.default('channel'),
  /** **Omnitron's** id of the object the report is filed under, as a string; the channel's id by default. */
  targetObjectId: z.string().optional(),
});
/**
 * One row of Omnitron's Sales Channel Logs, as the SDK sends it.
 *
 * @interface
 *
 * @group Data
 */
export type ErrorReport = z.input<typeof ErrorReport>;

/**
 * A report a channel adapter attaches to an item it yields: what it asked the marketplace and what came
 * back. The flow turns it into an {@link ErrorReport}, redacting secrets.
 *
 * @group Data
 */
export const ChannelReport = z.object({
  /**
   * Whether the marketplace call succeeded. Failed calls are always logged; successful ones only when the
   * flow runs with `isSuccessLog`.
   */
  isOk: z.boolean(),
  /**
   * A short description, such as `GET /orders?page=2 answered 200`; it becomes the log detail, and stands
   * in for `rawResponse` when that is absent.
   */
  message: z.string().optional(),
  /** What was asked of the marketplace, such as the method, URL and body; secrets are redacted. */
  rawRequest: z.string().optional(),
  /** What the marketplace answered, such as the status and body; secrets are redacted. */
  rawResponse: z.string().optional(),
});
/**
 * A report a channel adapter attaches to an item it yields (`reports` of a {@link ChannelItem}) or to an
 * answer it returns: one marketplace call, shown in Sales Channel Logs.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelReport = z.infer<typeof ChannelReport>;

/**
 * An address-mapping report: tells the merchant which marketplace location to map in Omnitron's
 * address mapping screen.
 *
 * @group Data
 */
export interface AddressErrorReport {
  /** The level of the location. */
  type: 'country' | 'city' | 'township' | 'district';
  /** `<channelId>_<value>`. */
  remoteCode: string;
  /** The value the marketplace sent. */
  name: string;
  /** Omnitron id of the country it was looked up in. */
  countryId?: number;
  /** Omnitron id of the city it was looked up in. */
  cityId?: number;
  /** Omnitron id of the township it was looked up in. */
  townshipId?: number;
  /** Always `sales_channel`. */
  integrationType: 'sales_channel';
  /** Omnitron's code for the kind of problem, such as `integrations_200_10_2`. */
  errCode: string;
  /** A readable description. */
  errDesc: string;
}
