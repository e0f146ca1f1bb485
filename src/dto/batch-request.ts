import { z } from 'zod';
import { ContentTypeName, literalEnum, OmnitronId } from './common.js';

/** The states of an Omnitron batch request. */
export const BatchRequestStatus = literalEnum([
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
export const FailedReasonType = literalEnum(['mapping', 'remote', 'channel_app']);
/** Why one object of a batch failed. */
export type FailedReasonType = z.infer<typeof FailedReasonType>;

/**
 * One object a batch request handled. On `done`, Omnitron links `remoteId` to the object (an integration
 * action), which is how later flows find Omnitron objects from marketplace ids.
 */
export const BatchRequestObject = z.object({
  /** Omnitron id of the object. */
  id: OmnitronId,
  /** The Omnitron model the batch is locked to on commit. */
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
  /** Omnitron id. */
  id: OmnitronId,
  /** A UUID; error report codes start with it. */
  localBatchId: z.string(),
  /** The marketplace's id for an asynchronous job. */
  remoteBatchId: z.string().nullable(),
  /** Set on commit. */
  contentType: z.string().nullable(),
  /** Where the batch stands. */
  status: BatchRequestStatus,
  /** The objects the batch handled, with their outcome. */
  objects: z.array(BatchRequestObject).nullable(),
  /** When it was created; `null` when Omnitron's answer left it out (the SDK does not need it). */
  createdDate: z.string().nullable(),
  /** When it last changed. */
  modifiedDate: z.string(),
});
/** An Omnitron batch request. */
export type BatchRequest = z.infer<typeof BatchRequest>;

/** A status change of a batch request, with what each one carries. */
export type BatchRequestTransition =
  | {
      /** Lock the batch to a content type and declare (more) objects. */
      status: 'commit';
      /** The model the batch is locked to. */
      contentType: ContentTypeName;
      /** Objects to add. */
      objects: BatchRequestObject[];
    }
  | {
      /** The marketplace took the objects and answers later. */
      status: 'sent_to_remote';
      /** The marketplace's job id. */
      remoteBatchId: string;
    }
  | {
      /** The marketplace is still working on it. */
      status: 'ongoing';
    }
  | {
      /** Every object was handled. */
      status: 'done';
      /** Every object, with its outcome. */
      objects: BatchRequestObject[];
    }
  | {
      /** The run stopped before handling everything. */
      status: 'fail';
      /** The objects handled so far, or `null`. */
      objects: BatchRequestObject[] | null;
    };
