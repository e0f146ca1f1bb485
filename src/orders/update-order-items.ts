import type { BatchRequestObject } from '../dto/batch-request.js';
import type { OrderItem } from '../dto/order.js';
import { type OrderItemPatch, OrderItemUpdate } from '../dto/order-item-update.js';
import { MappingNotFoundError } from '../errors/mapping-not-found-error.js';
import { forEachChannelItem } from './channel-stream.js';
import type { FlowOptions } from './flow-options.js';
import type { FlowResult } from './flow-result.js';
import { type FlowDependencies, runFlow } from './flow-run.js';
import { batchObject, objectIdsByRemoteId } from './mappings.js';

/**
 * Applies order-line changes from the marketplace (status, invoice, tracking) to every Omnitron unit of
 * the line. Only differing fields are sent; a line with nothing new is `unchanged`. The units are committed
 * to the batch in one go just before it ends `done` (a batch gets its content type, `orderitem`, on commit
 * only).
 */
export function fetchAndUpdateOrderItems(deps: FlowDependencies, options: FlowOptions): Promise<FlowResult> {
  return runFlow(
    deps,
    { flow: 'fetchAndUpdateOrderItems', contentType: 'orderitem', requires: ['getUpdatedOrderItems'] },
    options,
    (run, session) =>
      forEachChannelItem(
        run,
        session,
        {
          operation: 'getUpdatedOrderItems',
          step: 'GetUpdatedOrderItems',
          subject: 'order item update',
          schema: OrderItemUpdate,
          keyOf: (raw) => raw.remoteId,
        },
        (context) => deps.channel.getUpdatedOrderItems(context),
        async (update, key) => {
          const scope = session.current;
          const objects: BatchRequestObject[] = [];
          const outcome = await scope.settle('UpdateOrderItem', key, async () => {
            const ids = (await objectIdsByRemoteId(deps.omnitron, 'orderitem', [update.remoteId])).get(
              update.remoteId,
            );
            if (!ids || ids.length === 0)
              throw new MappingNotFoundError('orderitem', { remoteId: update.remoteId });
            let changed = false;
            for (const id of ids) {
              const item = await deps.omnitron.getOrderItem(id);
              const patch = orderItemPatch(item, update);
              const saved =
                Object.keys(patch).length > 0 ? await deps.omnitron.updateOrderItem(id, patch) : item;
              changed ||= saved !== item;
              objects.push(batchObject('orderitem', saved, update.remoteId));
            }
            return {
              key,
              status: changed ? 'updated' : 'unchanged',
              omnitronId: ids[0] as number,
              batchRequestId: scope.tracker.batch.id,
            };
          });
          // Units saved before a later unit failed are recorded too: Omnitron changed them. They are
          // committed together just before `done` (see BatchRequestTracker.done).
          scope.tracker.record(objects);
          if (outcome.status === 'updated') {
            const [first] = objects;
            await scope.reporter.success('UpdateOrderItem', key, 'order item updated', {
              contentType: 'orderitem',
              objectId: outcome.omnitronId as number,
              ...(first?.versionDate ? { modifiedDate: first.versionDate } : {}),
            });
          }
          run.record(outcome);
        },
      ),
  );
}

/**
 * The fields to change on an item: those the marketplace sent (`null` clears) that differ. `extraField`
 * is merged, so the marketplace id kept in it survives.
 */
export function orderItemPatch(item: OrderItem, update: OrderItemUpdate): OrderItemPatch {
  const patch: OrderItemPatch = {};
  if (update.status !== undefined && update.status !== item.status) patch.status = update.status;
  if (update.invoiceNumber !== undefined && update.invoiceNumber !== item.invoiceNumber)
    patch.invoiceNumber = update.invoiceNumber;
  if (update.trackingNumber !== undefined && update.trackingNumber !== item.trackingNumber)
    patch.trackingNumber = update.trackingNumber;
  if (update.invoiceDate !== undefined && !sameInstant(update.invoiceDate, item.invoiceDate))
    patch.invoiceDate = update.invoiceDate;
  if (update.extraField !== undefined) {
    const merged = { ...item.extraField, ...update.extraField };
    if (JSON.stringify(merged) !== JSON.stringify(item.extraField)) patch.extraField = merged;
  }
  return patch;
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}
