import { z } from 'zod';
import { OmnitronId } from './common.js';

/** Omnitron's link between one of its objects and the marketplace's id for it. */
export const IntegrationAction = z.object({
  id: OmnitronId,
  /** Omnitron model name, such as `order`. */
  contentType: z.string(),
  objectId: OmnitronId,
  remoteId: z.string().nullable(),
  /** The `modified_date` of the object when it was last sent. */
  versionDate: z.string().nullable(),
  localBatchId: z.string().nullable(),
});
/** Omnitron's link between one of its objects and the marketplace's id for it. */
export type IntegrationAction = z.infer<typeof IntegrationAction>;

/** How to find integration actions: by content type and either marketplace ids or Omnitron ids. */
export type IntegrationActionFilter =
  | { contentType: string; remoteIds: string[] }
  | { contentType: string; objectIds: number[] };
