import { z } from 'zod';
import { ContentTypeName, OmnitronId } from './common.js';

/** The states of an Omnitron batch request. */
export const BatchRequestStatus = z.enum([
  'initialized',
  'commit',
  'sent_to_remote',
  'ongoing',
  'done',
  'fail',
]);
/** The states of an Omnitron batch request. */
export type BatchRequestStatus = z.infer<typeof BatchRequestStatus>;

/** Why one object of a batch failed: a missing mapping, the marketplace refused it, or the app failed. */
export const FailedReasonType = z.enum(['mapping', 'remote', 'channel_app']);
/** Why one object of a batch failed. */
export type FailedReasonType = z.infer<typeof FailedReasonType>;

/**
 * One object a batch request handled. On `done`, Omnitron links `remoteId` to the object (an integration
 * action), which is how later flows find Omnitron objects from marketplace ids.
 */
export const BatchRequestObject = z.object({
  /** Omnitron id of the object. */
  id: OmnitronId,
  contentType: ContentTypeName,
  /** The marketplace's id for it, when known. */
  remoteId: z.string().nullable(),
  /** `null` when the object succeeded. */
  failedReasonType: FailedReasonType.nullable(),
  /** The object's `modified_date` when it was handled. */
  versionDate: z.string().nullable(),
});
/** One object a batch request handled. */
export type BatchRequestObject = z.infer<typeof BatchRequestObject>;

/** An Omnitron batch request: the record of one run of one flow. */
export const BatchRequest = z.object({
  id: OmnitronId,
  /** A UUID; error report codes start with it. */
  localBatchId: z.string(),
  /** The marketplace's id for an asynchronous job. */
  remoteBatchId: z.string().nullable(),
  /** Set on commit. */
  contentType: z.string().nullable(),
  status: BatchRequestStatus,
  objects: z.array(BatchRequestObject).nullable(),
  createdDate: z.string(),
  modifiedDate: z.string(),
});
/** An Omnitron batch request. */
export type BatchRequest = z.infer<typeof BatchRequest>;

/** A status change of a batch request, with what each one carries. */
export type BatchRequestTransition =
  | { status: 'commit'; contentType: ContentTypeName; objects: BatchRequestObject[] }
  | { status: 'sent_to_remote'; remoteBatchId: string }
  | { status: 'ongoing' }
  | { status: 'done'; objects: BatchRequestObject[] }
  | { status: 'fail'; objects: BatchRequestObject[] | null };
