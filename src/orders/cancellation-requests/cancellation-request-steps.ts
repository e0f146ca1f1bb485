import type { BatchRequestObject, FailedReasonType } from '../../dto/batch-request.js';
import {
  type CancellationRequest,
  CancellationRequestStatus,
  type ChannelCancellationRequest,
} from '../../dto/cancellation.js';
import type { OrderItem } from '../../dto/order.js';
import type { ChannelAppError } from '../../errors/channel-app-error.js';
import { InvalidPayloadError, RemoteRejectedError } from '../../errors/channel-errors.js';
import { MappingNotFoundError, ReasonNotMappedError } from '../../errors/lookup-errors.js';
import { batchObject, objectIdsByRemoteId, remoteIdByObjectId, UNKNOWN_VERSION } from '../common/mappings.js';
import { channelReason, omnitronReason } from '../common/reasons.js';
import { SETTLED_UNIT_STATUSES } from '../common/settled-units.js';
import { parseUnitRemoteId, unitRemoteId } from '../common/unit-remote-id.js';
import { ORDER_SIZES } from '../defaults.js';
import type { ItemOutcome } from '../flow-result.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';

/** A marketplace request created (or found) in Omnitron, one Omnitron request per unit, with their batch objects. */
export interface StoredCancellationRequest {
  outcome: Omit<ItemOutcome, 'batchRequestId'>;
  /** Omnitron ids of its units' requests, in unit order. */
  ids: number[];
  /** What its batch must commit (see `unitObjects`): nothing for a request found already linked. */
  objects: BatchRequestObject[];
}

/**
 * Creates one marketplace cancellation or return request in Omnitron: one Omnitron request per unit it
 * covers (`quantity`), each on its own unit of the line it names (`orderItem` is the line's marketplace
 * id). Idempotent: units whose request Omnitron already has are not asked again, so a request yielded again
 * is `already_present`, and one cut short by a crash is completed.
 */
export async function createCancellationRequest(
  context: RunContext,
  request: ChannelCancellationRequest,
  key: string,
  lookup: RequestLookup | null = null,
): Promise<StoredCancellationRequest> {
  const { omnitron } = context;
  const { quantity } = request;
  const units = requestUnits(request);
  const stored = new Map<string, CancellationRequest>();
  for (const unit of units) {
    const known = lookup?.request(unit);
    const existing = known === undefined ? await omnitron.findCancellationRequestByRemoteId(unit) : known;
    if (existing) stored.set(unit, existing);
  }
  const created = new Set<string>();
  if (stored.size < quantity) {
    const taken = new Set([...stored.values()].map((r) => r.orderItem));
    const free = (await lineUnits(context, request, lookup)).filter((id) => !taken.has(id));
    const reason = omnitronReason(context.conf, request.reason);
    for (const unit of units) {
      if (stored.has(unit)) continue;
      const orderItem = free.shift();
      if (orderItem === undefined) throw tooManyUnits(request);
      const { description, cancellationType } = request;
      // Its fate is unknown until the create answers: a later request of the chunk looks it up again.
      lookup?.forget(unit);
      const made = await omnitron.createCancellationRequest({
        orderItem,
        reason,
        remoteId: unit,
        description,
        cancellationType,
      });
      lookup?.setRequest(unit, made);
      stored.set(unit, made);
      created.add(unit);
    }
  }
  const requests = units.map((unit) => stored.get(unit) as CancellationRequest);
  return {
    outcome: {
      key,
      status: created.size > 0 ? 'created' : 'already_present',
      omnitronId: requests[0]?.id as number,
    },
    ids: requests.map((r) => r.id),
    objects: await unitObjects(context, units, stored, created),
  };
}

/** The marketplace ids of a request's units' Omnitron requests (see `unitRemoteId`), in unit order. */
function requestUnits(request: ChannelCancellationRequest): string[] {
  const { quantity } = request;
  return Array.from({ length: quantity }, (_, i) => unitRemoteId(request.remoteId, i + 1, quantity));
}

/** Requests looked up together: one request for their units' Omnitron requests, one for their lines. */
export const REQUEST_CHUNK = ORDER_SIZES.requestLookup;

/**
 * What a chunk of marketplace requests needs from Omnitron, asked once for the chunk rather than once per
 * request: the Omnitron requests already made for their units, and the units of their lines. Kept current
 * as the chunk's requests are created (requests of one line are worked on one after another).
 */
export class RequestLookup {
  /** Omnitron's request per unit marketplace id; `null`: absent when asked. */
  readonly #requests: Map<string, CancellationRequest | null>;
  readonly #lines: Map<string, number[]>;
  readonly #units: Map<number, OrderItem>;

  private constructor(
    requests: Map<string, CancellationRequest | null>,
    lines: Map<string, number[]>,
    units: Map<number, OrderItem>,
  ) {
    this.#requests = requests;
    this.#lines = lines;
    this.#units = units;
  }

  /**
   * Looks a chunk's requests up; on any failure returns `null`, and each request then looks itself up
   * (the failure, if it lasts, becomes that request's own).
   */
  static async of(
    context: RunContext,
    requests: readonly ChannelCancellationRequest[],
  ): Promise<RequestLookup | null> {
    if (requests.length === 0) return null;
    const { omnitron } = context;
    try {
      const units = requests.flatMap(requestUnits);
      const found = await omnitron.findCancellationRequestsByRemoteIds(units);
      const lines = await objectIdsByRemoteId(
        omnitron,
        'orderitem',
        requests.map((r) => r.orderItem),
      );
      // The units of lines a request covers only some of: which are still open is read from them.
      const partly = requests.flatMap((r) => {
        const ids = lines.get(r.orderItem) ?? [];
        return ids.length > r.quantity ? ids : [];
      });
      const open = partly.length > 0 ? await omnitron.getOrderItems(partly) : new Map<number, OrderItem>();
      return new RequestLookup(new Map(units.map((unit) => [unit, found.get(unit) ?? null])), lines, open);
    } catch (error) {
      context.logger.warn(
        { flow: context.flow, requests: requests.length, error: context.redactor.redactText(String(error)) },
        'looking up a chunk of cancellation requests failed; each is looked up on its own',
      );
      return null;
    }
  }

  /** Omnitron's request for a unit, `null` when it has none, `undefined` when it must be asked. */
  request(unit: string): CancellationRequest | null | undefined {
    return this.#requests.get(unit);
  }

  /** Keeps the request just created for a unit. */
  setRequest(unit: string, request: CancellationRequest): void {
    this.#requests.set(unit, request);
  }

  /** Forgets what is known of a unit, so it is asked again. */
  forget(unit: string): void {
    this.#requests.delete(unit);
  }

  /** A unit of a line the chunk covers in part, as it was read; `undefined` when it must be read. */
  unit(id: number): OrderItem | undefined {
    return this.#units.get(id);
  }

  /** The Omnitron ids of a line's units (none: `[]`). */
  lineIds(remoteId: string): number[] {
    return this.#lines.get(remoteId) ?? [];
  }
}

/**
 * The batch objects of a request's units: a unit created now with the version it was created at (unless it
 * has already left `waiting`); a unit found already linked to its marketplace id not at all; a unit found
 * but not linked yet (a run stopped between its create and its batch's `done`) with `UNKNOWN_VERSION`. Only the flow that sends a version to the
 * marketplace may record it: recording the version of a request found again would mark the merchant's
 * later approval or rejection as already sent, and it would never reach the marketplace.
 */
async function unitObjects(
  context: RunContext,
  units: readonly string[],
  stored: ReadonlyMap<string, CancellationRequest>,
  created: ReadonlySet<string>,
): Promise<BatchRequestObject[]> {
  const found = units
    .filter((unit) => !created.has(unit))
    .map((unit) => stored.get(unit) as CancellationRequest);
  const links =
    found.length > 0
      ? await remoteIdByObjectId(
          context.omnitron,
          'cancellationrequest',
          found.map((r) => r.id),
        )
      : new Map<number, string>();
  return units.flatMap((unit) => {
    const request = stored.get(unit) as CancellationRequest;
    // A create whose answer was lost returns the request a look-up found, which the merchant may already
    // have decided: only one still where a new request starts may be recorded at its version.
    if (created.has(unit) && request.status === CancellationRequestStatus.waiting)
      return [batchObject('cancellationrequest', request, unit)];
    if (links.get(request.id) === unit) return [];
    return [{ ...batchObject('cancellationrequest', request, unit), versionDate: UNKNOWN_VERSION }];
  });
}

/**
 * The Omnitron units of the line a request names that can still be cancelled or returned, lowest id
 * first. A request for every unit takes them as they are; a request for some of them skips units
 * already cancelled or refunded, so it lands on units still open.
 */
async function lineUnits(
  context: RunContext,
  request: ChannelCancellationRequest,
  lookup: RequestLookup | null,
): Promise<number[]> {
  const { omnitron } = context;
  const ids =
    lookup?.lineIds(request.orderItem) ??
    (await objectIdsByRemoteId(omnitron, 'orderitem', [request.orderItem])).get(request.orderItem);
  if (!ids || ids.length === 0) throw new MappingNotFoundError('orderitem', { remoteId: request.orderItem });
  const sorted = [...ids].sort((a, b) => a - b);
  if (sorted.length < request.quantity) throw tooManyUnits(request, sorted.length);
  if (sorted.length === request.quantity) return sorted;
  const open: number[] = [];
  for (const id of sorted) {
    const item = lookup?.unit(id) ?? (await omnitron.getOrderItem(id));
    if (!SETTLED_UNIT_STATUSES.includes(item.status)) open.push(id);
  }
  return open;
}

/** A request for more units than the line has (or has still open). */
function tooManyUnits(request: ChannelCancellationRequest, has?: number): InvalidPayloadError {
  const line = `line "${request.orderItem}"`;
  const message =
    has === undefined
      ? `is ${request.quantity}, more than the units of ${line} still open in Omnitron`
      : `is ${request.quantity}, but ${line} has ${has} unit${has === 1 ? '' : 's'} in Omnitron`;
  return new InvalidPayloadError('channel', 'cancellation request', [{ path: 'quantity', message }]);
}

/** The marketplace ids a cancellation request update is sent with. */
export interface RequestRemoteIds {
  /**
   * The marketplace id Omnitron links to the request (its own for a request of one unit, the unit's for
   * one of several: see `unitRemoteId`), else the one the request holds.
   */
  request: string | null | undefined;
  /** The marketplace id of its order line. */
  orderItem: string | undefined;
}

/**
 * Sends one changed cancellation request to the marketplace in its own terms (the marketplace's request
 * id and, for a request of several units, which unit; the line's marketplace id; the marketplace reason
 * code). A `FAIL` answer is a `RemoteRejectedError`.
 */
export async function sendCancellationRequestUpdate(
  context: RunContext,
  scope: BatchScope,
  request: CancellationRequest,
  remoteIds: RequestRemoteIds,
  key: string,
): Promise<Omit<ItemOutcome, 'batchRequestId'>> {
  if (!remoteIds.request) throw new MappingNotFoundError('cancellationrequest', { objectId: request.id });
  if (!remoteIds.orderItem) throw new MappingNotFoundError('orderitem', { objectId: request.orderItem });
  const { remoteId, unit } = parseUnitRemoteId(remoteIds.request);
  const answer = await context.channel.updateCancellationRequest({
    ...scope.context,
    request: {
      remoteId,
      orderItem: remoteIds.orderItem,
      unit,
      reason: channelReason(context.conf, request.reason),
      status: request.status,
      description: request.description,
      cancellationType: request.cancellationType,
      omnitron: request,
    },
  });
  await scope.forward('UpdateCancellationRequest', key, answer.reports);
  if (answer.status === 'FAIL') {
    // The marketplace's words may quote what it was sent, keys included.
    const reason = context.redactor.redactText(answer.message || 'no reason given');
    throw new RemoteRejectedError(`cancellation request ${remoteId}`, reason);
  }
  return { key, status: 'updated', omnitronId: request.id };
}

/**
 * Why an update failed, as its batch object says: `mapping` when its ids or reason could not be put in the
 * marketplace's terms, `remote` when the marketplace refused it, `channel_app` for anything else (the
 * adapter failed, or answered something unusable).
 */
export function failedReasonOf(error: ChannelAppError): FailedReasonType {
  if (error instanceof MappingNotFoundError || error instanceof ReasonNotMappedError) return 'mapping';
  if (error instanceof RemoteRejectedError) return 'remote';
  return 'channel_app';
}
