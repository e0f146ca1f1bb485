import type { CancelOrderInput } from '../dto/cancellation.js';
import type { ChannelOrderInput } from '../dto/channel-order.js';

/**
 * Tells whether a webhook call really comes from the marketplace, from the request (its headers) and the
 * body exactly as received. {@link verifyHmacSignature} makes one for HMAC-signed bodies.
 */
export type WebhookVerifier = (request: Request, rawBody: Uint8Array) => boolean | Promise<boolean>;

/** A webhook call that brings a new order. */
export interface WebhookOrderEvent {
  /** Always `order`. */
  kind: 'order';
  /** The order, as `getOrders` would yield it (validated against `ChannelOrder` by the handler). */
  data: ChannelOrderInput;
}

/** A webhook call that brings a cancellation. */
export interface WebhookCancelEvent {
  /** Always `cancel`. */
  kind: 'cancel';
  /** The cancellation, as `getCancelledOrders` would yield it (validated against `CancelOrder`). */
  data: CancelOrderInput;
}

/**
 * What a webhook call carries, mapped to the SDK's data: a new order or a cancellation. Map only; the
 * handler validates the data against the `ChannelOrder` or `CancelOrder` schema.
 */
export type WebhookEvent = WebhookOrderEvent | WebhookCancelEvent;

/**
 * The marketplace's side of the webhook intake: how to authenticate a call and how to read its body.
 *
 * @example
 * ```ts
 * const adapter: WebhookAdapter = {
 *   verify: verifyHmacSignature({ secret, header: 'x-acme-signature' }),
 *   parse: (rawBody) => {
 *     const event = JSON.parse(rawBody);
 *     if (event.type === 'order.created') return { kind: 'order', data: toChannelOrder(event.order) };
 *     if (event.type === 'order.cancelled') return { kind: 'cancel', data: toCancelOrder(event) };
 *     return null; // an event the app does not handle: answered 202, nothing queued
 *   },
 * };
 * ```
 */
export interface WebhookAdapter {
  /** Authenticates the call; `false` (or a throw) answers 401. */
  verify: WebhookVerifier;
  /**
   * Maps the body (decoded as UTF-8) to an order or a cancellation; `null` for an event the app ignores
   * (answered 202, nothing queued). A throw answers 400: a `SyntaxError` (from `JSON.parse`) as "not JSON".
   */
  parse: (rawBody: string, request: Request) => WebhookEvent | null | Promise<WebhookEvent | null>;
}
