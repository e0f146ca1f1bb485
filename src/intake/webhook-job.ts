import { createHash } from 'node:crypto';
import { CancelOrder } from '../dto/cancellation.js';
import { ChannelOrder } from '../dto/channel-order.js';
import { CHANNEL_ITEM_LIMITS, toPlainData } from '../dto/plain-data.js';
import { InvalidPayloadError } from '../errors/channel-errors.js';
import type { WebhookEvent } from './adapter.js';

/** What a webhook job carries in Redis besides its event. */
export interface WebhookJobChannel {
  /** The channel the event came for: picks the worker's service. */
  channelId: string;
  /**
   * The W3C trace context (`traceparent`, `tracestate`) of the webhook call that stored the job, when the
   * app traces: the worker's span of the job continues that call's trace.
   */
  traceContext?: Record<string, string>;
}

/** What a webhook job carries in Redis: the channel, and the order or cancellation as plain JSON. */
export type WebhookJobData = WebhookJobChannel & WebhookEvent;

/** An event the handler checked: what to store and under which job id. */
export interface CheckedEvent {
  /** The job's id, the same for every delivery of the event. */
  jobId: string;
  /** The marketplace id the job id is made from (the order's `remoteId`, a cancel's `order`). */
  remoteId: string;
  /** What to store. */
  data: WebhookJobData;
}

/** An event whose data failed its schema. */
export interface RefusedEvent {
  /** Why, with every offending field. */
  error: InvalidPayloadError;
  /** The marketplace id, when the data had a readable one. */
  remoteId?: string;
  /** The data as the adapter mapped it (a plain copy when it could be made), for an error report. */
  payload: unknown;
}

/**
 * Checks an event's data against its schema and gives it its job id. What is stored is a plain JSON copy
 * of the data as the adapter mapped it (not zod's output), so the worker's `createOrder` checks exactly
 * what was checked here. The schema runs without `reportInput`: a refusal names each field and the rule
 * it broke but never quotes the value (an e-mail, a phone number, a name), since it goes into the 422
 * answer, the log line and `onRejected`'s error.
 */
export function checkEvent(channelId: string, event: WebhookEvent): CheckedEvent | RefusedEvent {
  const subject = event.kind === 'order' ? 'webhook order' : 'webhook cancellation';
  const plain = toPlainData(event.data, CHANNEL_ITEM_LIMITS);
  if (!plain.ok) {
    const issue = { path: plain.path.map(String).join('.'), message: plain.message };
    return { error: new InvalidPayloadError('channel', subject, [issue]), payload: undefined };
  }
  if (event.kind === 'order') {
    const parsed = ChannelOrder.safeParse(plain.value);
    if (!parsed.success)
      return refused(InvalidPayloadError.fromZod('channel', subject, parsed.error), plain.value, 'remoteId');
    const remoteId = parsed.data.remoteId;
    return {
      jobId: jobIdOf(channelId, 'order', remoteId),
      remoteId,
      data: { channelId, kind: 'order', data: plain.value as WebhookEvent['data'] } as WebhookJobData,
    };
  }
  const parsed = CancelOrder.safeParse(plain.value);
  if (!parsed.success)
    return refused(InvalidPayloadError.fromZod('channel', subject, parsed.error), plain.value, 'order');
  const { order, cancelItems } = parsed.data;
  return {
    jobId: jobIdOf(channelId, 'cancel', `${order}#${itemsHash(cancelItems)}`),
    remoteId: order,
    data: { channelId, kind: 'cancel', data: plain.value as WebhookEvent['data'] } as WebhookJobData,
  };
}

function refused(error: InvalidPayloadError, payload: unknown, idKey: string): RefusedEvent {
  const id = (payload as Record<string, unknown> | null)?.[idKey];
  return typeof id === 'string' && id.trim() !== ''
    ? { error, payload, remoteId: id.trim().slice(0, 256) }
    : { error, payload };
}

/**
 * `${channelId}:${kind}:${remoteId}`. The remote part is URI-encoded: BullMQ accepts a `:` in a job id only
 * when it splits the id in exactly three parts, and marketplace ids may hold one.
 */
export function jobIdOf(channelId: string, kind: WebhookEvent['kind'], remote: string): string {
  return `${channelId}:${kind}:${encodeURIComponent(remote)}`;
}

/**
 * A short hash of a cancel's lines, in any order: two cancels of different lines of one order are two
 * events, a re-delivery of one (lines listed in another order) is the same.
 */
function itemsHash(items: readonly string[]): string {
  const sorted = [...new Set(items)].sort();
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}
