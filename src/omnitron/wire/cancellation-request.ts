import { z } from 'zod';
import {
  type CancellationRequest,
  type CancellationRequestCreate,
  CancellationType,
} from '../../dto/cancellation.js';
import { optionalText, WirePk, withPk } from './common.js';

/** A cancellation request on the wire. */
export const CancellationRequestJson = withPk({
  order_item: WirePk,
  reason: WirePk,
  remote_id: optionalText,
  description: z
    .string()
    .nullable()
    .transform((v) => v ?? ''),
  cancellation_type: CancellationType,
  status: z.string(),
  modified_date: z.string(),
}).transform(
  (r): CancellationRequest => ({
    id: r.pk,
    orderItem: r.order_item,
    reason: r.reason,
    remoteId: r.remote_id,
    description: r.description,
    cancellationType: r.cancellation_type,
    status: r.status,
    modifiedDate: r.modified_date,
  }),
);

/** A cancellation request as Omnitron's JSON (the feed returns `id`). */
export function cancellationRequestToJson(r: CancellationRequest) {
  return {
    id: r.id,
    order_item: r.orderItem,
    reason: r.reason,
    remote_id: r.remoteId,
    description: r.description,
    cancellation_type: r.cancellationType,
    status: r.status,
    modified_date: r.modifiedDate,
  };
}

/** The POST body that creates a cancellation request. */
export function cancellationRequestCreateToJson(r: CancellationRequestCreate) {
  return {
    cancellation_type: r.cancellationType,
    description: r.description,
    order_item: r.orderItem,
    reason: r.reason,
    remote_id: r.remoteId,
  };
}
