import { z } from 'zod';
import { OmnitronId } from './common.js';

/**
 * Omnitron's link between one of its objects and the marketplace's id for it.
 *
 * @group Data
 */
export const IntegrationAction = z.object({
  /** **Omnitron's** id of the link itself. */
  id: OmnitronId,
  /** Omnitron model name of the linked object, such as `order`. */
  contentType: z.string(),
  /** **Omnitron's** id of the linked object. */
  objectId: OmnitronId,
  /** The **marketplace** id of the linked object, or `null`. */
  remoteId: z.string().nullable(),
  /** The Omnitron `modified_date` (ISO 8601) of the object when it was last sent, or `null`. */
  versionDate: z.string().nullable(),
  /** The `localBatchId` (a UUID Omnitron gives each batch) of the batch that last linked it, or `null`. */
  localBatchId: z.string().nullable(),
});
/**
 * Omnitron's link between one of its objects and the marketplace's id for it.
 *
 * @interface
 *
 * @group Data
 */
export type IntegrationAction = z.infer<typeof IntegrationAction>;

/**
 * How to find integration actions: by content type and either marketplace ids or Omnitron ids.
 *
 * @group Data
 */
export type IntegrationActionFilter =
  | {
      /** Omnitron model name, such as `orderitem`. */
      contentType: string;
      /** **Marketplace** ids to look up. */
      remoteIds: string[];
    }
  | {
      /** Omnitron model name, such as `orderitem`. */
      contentType: string;
      /** **Omnitron's** ids to look up. */
      objectIds: number[];
    };
