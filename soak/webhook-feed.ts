import { createHmac } from 'node:crypto';
import type { CancelOrderInput, ChannelOrderInput } from '../src/index.js';
import { createWebhookHandler, verifyHmacSignature, type WebhookHandler } from '../src/intake/index.js';

const SECRET = 'soak-webhook-secret';
const HEADER = 'x-soak-signature';

type Event = { type: 'order'; data: ChannelOrderInput } | { type: 'cancel'; data: CancelOrderInput };

/**
 * The marketplace's webhooks into the app's intake: each new order or cancellation the soak chooses is
 * posted, signed, to the webhook handler (which queues it in Redis for the workers' webhook workers). A
 * call not answered 202 is delivered again on the next tick, as marketplaces re-deliver.
 */
export class WebhookFeed {
  readonly #handler: WebhookHandler;
  readonly #pending: Event[] = [];
  readonly counts = { delivered: 0, refused: 0 };

  constructor(redisUrl: string, queueName: string) {
    this.#handler = createWebhookHandler({
      connection: { url: redisUrl },
      queueName,
      channelId: 'soak',
      adapter: {
        verify: verifyHmacSignature({ secret: SECRET, header: HEADER, prefix: 'sha256=' }),
        parse: (raw) => {
          const event = JSON.parse(raw) as Event;
          return event.type === 'order'
            ? { kind: 'order', data: event.data }
            : { kind: 'cancel', data: event.data };
        },
      },
      backoffDelay: 500,
      // The soak's Redis is a scratch one that may persist nothing; what it tests is not Redis' durability.
      allowVolatileRedis: true,
    });
  }

  /** Posts an event now. */
  async send(event: Event): Promise<void> {
    const body = JSON.stringify(event);
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const answer = await this.#handler(
      new Request('http://soak.local/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HEADER]: signature },
        body,
      }),
    );
    if (answer.status === 202) this.counts.delivered += 1;
    else {
      this.counts.refused += 1;
      this.#pending.push(event);
    }
  }

  /** Delivers again the calls that were not accepted. */
  async redeliver(): Promise<void> {
    for (const event of this.#pending.splice(0)) await this.send(event);
  }

  /** Jobs still waiting or running in the intake's queue. */
  async backlog(): Promise<number> {
    const counts = await this.#handler.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  close(): Promise<void> {
    return this.#handler.close();
  }
}
