import type { BatchRequestObject } from '../../dto/batch-request.js';
import type { ContentTypeName } from '../../dto/common.js';
import { remoteIdOf } from '../../dto/order.js';
import { AmbiguousMappingError, MappingNotFoundError } from '../../errors/lookup-errors.js';
import type { OmnitronIntegration } from '../../integrations/omnitron-integration.js';

/** Omnitron ids per marketplace id, from integration actions (one remote order line may be several units). */
export async function objectIdsByRemoteId(
  omnitron: OmnitronIntegration,
  contentType: ContentTypeName,
  remoteIds: readonly string[],
): Promise<Map<string, number[]>> {
  const byRemoteId = new Map<string, number[]>();
  if (remoteIds.length === 0) return byRemoteId;
  const actions = await omnitron.listIntegrationActions({ contentType, remoteIds: [...new Set(remoteIds)] });
  for (const action of actions) {
    if (action.remoteId === null) continue;
    const ids = byRemoteId.get(action.remoteId) ?? [];
    if (!ids.includes(action.objectId)) ids.push(action.objectId);
    byRemoteId.set(action.remoteId, ids);
  }
  return byRemoteId;
}

/** Marketplace ids per Omnitron id, from integration actions. */
export async function remoteIdByObjectId(
  omnitron: OmnitronIntegration,
  contentType: ContentTypeName,
  objectIds: readonly number[],
): Promise<Map<number, string>> {
  const byObjectId = new Map<number, string>();
  if (objectIds.length === 0) return byObjectId;
  const actions = await omnitron.listIntegrationActions({ contentType, objectIds: [...new Set(objectIds)] });
  for (const action of actions) {
    if (action.remoteId !== null) byObjectId.set(action.objectId, action.remoteId);
  }
  return byObjectId;
}

/** The one Omnitron id a marketplace id is linked to; throws when there is none or more than one. */
export function exactlyOne(
  contentType: ContentTypeName,
  remoteId: string,
  ids: readonly number[] | undefined,
): number {
  if (!ids || ids.length === 0) throw new MappingNotFoundError(contentType, { remoteId });
  if (ids.length > 1) throw new AmbiguousMappingError(contentType, remoteId, [...ids]);
  return ids[0] as number;
}

/**
 * The version recorded for an object whose version the marketplace may not know (found unlinked after a
 * stopped run, or not readable after a change): older than any, so the update flow offers the object's
 * current state to the marketplace once. Omnitron's batch objects require a date here, so it is not `null`.
 */
export const UNKNOWN_VERSION = '1970-01-01T00:00:00.000Z';

/** A successful batch object for an Omnitron object and its marketplace id. */
export function batchObject(
  contentType: ContentTypeName,
  object: { id: number; modifiedDate?: string },
  remoteId: string | null,
): BatchRequestObject {
  return {
    id: object.id,
    contentType,
    remoteId,
    failedReasonType: null,
    versionDate: object.modifiedDate ?? null,
  };
}

/**
 * Batch objects for an order and its items, each with the marketplace id it was imported under. Without
 * `orderVersionKnown` the order is linked with {@link UNKNOWN_VERSION} (see `OrderToLink.versionKnown`).
 */
export function orderObjects(
  order: { id: number; modifiedDate: string; extraField: Record<string, unknown> },
  items: readonly { id: number; modifiedDate: string; extraField: Record<string, unknown> }[],
  fallbackRemoteId: string,
  orderVersionKnown = true,
): BatchRequestObject[] {
  const head = batchObject('order', order, remoteIdOf(order) ?? fallbackRemoteId);
  return [
    orderVersionKnown ? head : { ...head, versionDate: UNKNOWN_VERSION },
    ...items.map((item) => batchObject('orderitem', item, remoteIdOf(item))),
  ];
}
