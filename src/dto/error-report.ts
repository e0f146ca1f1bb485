import { z } from 'zod';
import { ContentTypeName } from './common.js';

/** One row of Omnitron's Sales Channel Logs. */
export const ErrorReport = z.object({
  /** The model the row is about: usually `batchrequest`, or `order` for one order. */
  actionContentType: ContentTypeName,
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
  /** When the object was last modified, or now. */
  modifiedDate: z.string(),
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
  isOk: z.boolean(),
  message: z.string().optional(),
  rawRequest: z.string().optional(),
  rawResponse: z.string().optional(),
});
/** A report a channel adapter attaches to an item it yields. */
export type ChannelReport = z.infer<typeof ChannelReport>;

/**
 * An address-mapping report: tells the merchant which marketplace location to map in Omnitron's
 * address mapping screen.
 */
export interface AddressErrorReport {
  type: 'country' | 'city' | 'township' | 'district';
  /** `<channelId>_<value>`. */
  remoteCode: string;
  name: string;
  countryId?: number;
  cityId?: number;
  townshipId?: number;
  integrationType: 'sales_channel';
  /** Omnitron's code for the kind of problem, such as `integrations_200_10_2`. */
  errCode: string;
  errDesc: string;
}
