/**
 * One import run in its own process, for the kill-and-re-run test: it reads orders from the test's
 * marketplace, imports them into the test's mock Omnitron through the REST adapter, and acknowledges them.
 * The test kills it with SIGKILL at random moments and starts it again. Configured by environment
 * variables: OMNITRON_URL, OMNITRON_USERNAME, OMNITRON_PASSWORD, MARKETPLACE_URL.
 */
import {
  type AcknowledgeOrdersInput,
  type ChannelCallContext,
  ChannelIntegration,
  type ChannelOrderInput,
  OmnitronRestIntegration,
  OrderService,
  type SendUpdatedOrdersResult,
} from '../../../src/index.js';
import type { OrdersPage } from './marketplace.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const marketplace = env('MARKETPLACE_URL');

/** The adapter: pages through the marketplace's new orders by cursor and acknowledges imported ones. */
class KillRerunChannel extends ChannelIntegration {
  override async *getOrders({ signal }: ChannelCallContext) {
    for (let after = -1; ; ) {
      const response = await fetch(`${marketplace}/orders?after=${after}`, { signal });
      if (!response.ok) throw new Error(`marketplace answered ${response.status}`);
      const page = (await response.json()) as OrdersPage;
      for (const order of page.items) yield { data: order as ChannelOrderInput };
      if (page.next === null) return;
      after = page.next;
    }
  }

  override async acknowledgeOrders({ orders, signal }: AcknowledgeOrdersInput): Promise<void> {
    const response = await fetch(`${marketplace}/orders/acknowledge`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: orders.map((o) => o.remoteId) }),
      signal,
    });
    if (!response.ok) throw new Error(`marketplace answered ${response.status}`);
  }

  override async sendUpdatedOrders(): Promise<SendUpdatedOrdersResult> {
    return { status: 'done', results: [] };
  }
}

const omnitron = new OmnitronRestIntegration({
  baseUrl: env('OMNITRON_URL'),
  username: env('OMNITRON_USERNAME'),
  password: env('OMNITRON_PASSWORD'),
  channelId: 1,
});
// One import at a time (the test waits for a killed process to exit before starting the next), so a
// batch left in `commit` can only be a dead run's: close it at once rather than after 15 minutes.
const service = new OrderService({ omnitron, channel: new KillRerunChannel(), staleBatchAfter: 0 });

process.send?.('started');
const result = await service.fetchAndCreateOrder({ keepOutcomes: 'failures' });
process.send?.({ counts: result.counts, acknowledged: result.acknowledged }, () => process.exit(0));
