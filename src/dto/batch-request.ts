import { z } from 'zod';
import { ContentTypeName, literalEnum, OmnitronId } from './common.js';

/**
 * The states of an Omnitron batch request.
 *
 * @group Data
 */
export const BatchRequestStatus = literalEnum([
  'initialized',
  'commit',
  'sent_to_remote',
  'ongoing',
  'done',
  'fail',
]);
/**
 * The states of an Omnitron batch request.
 *
 * @group Data
 */
export type BatchRequestStatus = z.infer<typeof BatchRequestStatus>;

/**
 * Why one object of a batch failed: a missing mapping, the marketplace refused it, or the app failed.
 *
 * @group Data
 */
export const FailedReasonType = literalEnum(['mapping', 'remote', 'channel_app']);
/**
 * Why one object of a batch failed.
 *
 * @group Data
 */
export type FailedReasonType = z.infer<typeof FailedReasonType>;

/**
 * One object a batch request handled. On `done`, Omnitron links `remoteId` to the object (an integration
 * action), which is how later flows find Omnitron objects from marketplace ids.
 *
 * @group Data
 */
export const BatchRequestObject = z.object({
  /** **Omnitron's** id of the object (an order, order item or cancellation request). */
  id: OmnitronId,
  /** The Omnitron model of the object, such as `order`; the batch is locked to it on commit. */
  contentType: ContentTypeName,
  /** The **marketplace's** id for the object, when known; `null` otherwise (and for failed objects). */
  remoteId: z.string().nullable(),
  /** Why the object failed: `mapping`, `remote` or `channel_app`; `null` when it succeeded. */
  failedReasonType: FailedReasonType.nullable(),
  /** The object's Omnitron `modified_date` (ISO 8601) when it was handled, or `null`. */
  versionDate: z.string().nullable(),
});
/**
 * One object a batch request handled.
 *
 * @interface
 *
 * @group Data
 */
export type BatchRequestObject = z.infer<typeof BatchRequestObject>;

/**
 * An Omnitron batch request: the record of one run of one flow.
 *
 * @group Data
 */
export const BatchRequest = z.object({
  /** **Omnitron's** id of the batch request. */
  id: OmnitronId,
  /**
   * A UUID Omnitron gives the batch, such as `0b7c6a58-5c2e-4d0e-9a55-3f3f1f1f2a10`; error report codes
   * start with it, and it makes a good correlation id for marketplace calls.
   */
  localBatchId: z.string(),
  /** The **marketplace's** id of an asynchronous job (from `sendUpdatedOrders`), or `null`. */
  remoteBatchId: z.string().nullable(),
  /** The Omnitron model the batch is locked to, such as `order`; `null` until commit. */
  contentType: z.string().nullable(),
  /** Where the batch stands. */
  status: BatchRequestStatus,
  /** The objects the batch handled, with their outcome, or `null` before any. */
  objects: z.array(BatchRequestObject).nullable(),
  /** When it was created (ISO 8601); `null` when Omnitron's answer left it out (the SDK does not need it). */
  createdDate: z.string().nullable(),
  /** When it last changed (ISO 8601). */
  modifiedDate: z.string(),
});
/**
 * An Omnitron batch request: every channel method gets the running flow's one as `batchRequest`.
 *
 * @interface
 *
 * @group Data
 */
export type BatchRequest = z.infer<typeof BatchRequest>;

/**
 * A status change of a batch request, with what each one carries.
 *
 * @group Data
 */
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
