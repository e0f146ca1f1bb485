import { z } from 'zod';
import { OmnitronId } from './common.js';

/** Omnitron's link between one of its objects and the marketplace's id for it. */
export const IntegrationAction = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Omnitron model name, such as `order`. */
  contentType: z.string(),
  /** Omnitron id of the linked object. */
  objectId: OmnitronId,
  /** The marketplace's id of it. */
  remoteId: z.string().nullable(),
  /** The `modified_date` of the object when it was last sent. */
  versionDate: z.string().nullable(),
  /** The batch request that last linked it. */
  localBatchId: z.string().nullable(),
});
/** Omnitron's link between one of its objects and the marketplace's id for it. */
export type IntegrationAction = z.infer<typeof IntegrationAction>;

/** How to find integration actions: by content type and either marketplace ids or Omnitron ids. */
export type IntegrationActionFilter =
  | {
      /** Omnitron model name, such as `orderitem`. */
      contentType: string;
      /** Marketplace ids to look up. */
      remoteIds: string[];
    }
  | {
      /** Omnitron model name, such as `orderitem`. */
      contentType: string;
      /** Omnitron ids to look up. */
      objectIds: number[];
    };
