import { z } from 'zod';
import { ContentTypeName } from './common.js';

/** One row of Omnitron's Sales Channel Logs. */
export const ErrorReport = z.object({
  /** The model the row is about: usually `batchrequest`, or `order` for one order. */
  actionContentType: ContentTypeName,
  /** Omnitron id of the object the row is about. */
  actionObjectId: z.number().int(),
  /** Log id: `<local batch id>-<Step>-<key>`. */
  errorCode: z.string().min(1).max(256),
  /** Log detail: the step. */
  errorDescription: z.string().max(256),
  /** Successful (`true`) or Fail (`false`). */
  isOk: z.boolean(),
  /** What was asked, secrets redacted. */
  rawRequest: z.string(),
  /** What came back or what went wrong, secrets redacted. */
  rawResponse: z.string(),
  /** The reported object's `modified_date`, when known; left out of the report otherwise. */
  modifiedDate: z.string().optional(),
  /** The model the report is filed under; the channel by default. */
  targetContentType: ContentTypeName.default('channel'),
  /** Defaults to the channel id. */
  targetObjectId: z.string().optional(),
});
/** One row of Omnitron's Sales Channel Logs. */
export type ErrorReport = z.input<typeof ErrorReport>;

/**
 * A report a channel adapter attaches to an item it yields: what it asked the marketplace and what came
 * back. The flow turns it into an {@link ErrorReport}, redacting secrets.
 */
export const ChannelReport = z.object({
  /** Whether the call succeeded. */
  isOk: z.boolean(),
  /** A short description, used when there is no raw response. */
  message: z.string().optional(),
  /** What was asked of the marketplace. */
  rawRequest: z.string().optional(),
  /** What the marketplace answered. */
  rawResponse: z.string().optional(),
});
/** A report a channel adapter attaches to an item it yields. */
export type ChannelReport = z.infer<typeof ChannelReport>;

/**
 * An address-mapping report: tells the merchant which marketplace location to map in Omnitron's
 * address mapping screen.
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
