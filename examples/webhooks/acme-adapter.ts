/**
 * The webhook guide's adapters (docs/webhooks.md shows the lines between the region marks): Acme's events
 * signed over the body alone, and signed over a timestamp and the body, which refuses replayed calls.
 */
// #region adapter
import { verifyHmacSignature, type WebhookAdapter } from 'channel-app-sdk/webhooks';
import { toChannelOrder } from './acme-order.js';

export function acmeWebhooks(secret: string): WebhookAdapter {
  return {
    // HMAC-SHA256 of the raw body, hex, in `X-Acme-Signature: sha256=<hex>`.
    verify: verifyHmacSignature({ secret, header: 'x-acme-signature', prefix: 'sha256=' }),
    parse: (rawBody) => {
      const event = JSON.parse(rawBody);
      if (event.type === 'order.created') return { kind: 'order', data: toChannelOrder(event.order) };
      if (event.type === 'order.cancelled')
        return { kind: 'cancel', data: { order: event.order.id, cancelItems: event.lineIds } };
      return null; // an event the app does not handle: answered 202, nothing queued
    },
  };
}
// #endregion

/** {@link acmeWebhooks} for a sender that dates its calls: a call older than five minutes is refused. */
export function acmeDatedWebhooks(secret: string): WebhookAdapter {
  return {
    ...acmeWebhooks(secret),
    // #region replay
    verify: verifyHmacSignature({
      secret,
      header: 'x-acme-signature', // HMAC-SHA256 of `${timestamp}.${body}`, hex
      timestampHeader: 'x-acme-timestamp', // Unix seconds
      toleranceSeconds: 300,
    }),
    // #endregion
  };
}
