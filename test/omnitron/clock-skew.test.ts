import { afterEach, describe, expect, it } from 'vitest';
import { OmnitronRestIntegration, OrderService } from '../../src/index.js';
import {
  createMockOmnitronServer,
  type MockOmnitronServer,
  OmnitronStore,
  ScriptedChannel,
  seedDefaults,
} from '../../src/testing/index.js';
import { tinyServer } from '../security/omnitron-servers.js';
import { TEST_RETRY } from '../support.js';

const MINUTE = 60_000;
const SKEW = 20 * MINUTE;

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A mock Omnitron whose clock is `skew` ms off this machine's: it stamps its records with that clock and
 * says so in the `Date` header of every answer (through a proxy that rewrites the header, as the mock
 * server's own is this machine's).
 */
async function skewedOmnitron(skew: number) {
  const serverNow = () => new Date(Date.now() + skew);
  const store = new OmnitronStore({ clock: serverNow });
  seedDefaults(store);
  const mock = await createMockOmnitronServer({ store });
  servers.push(mock);
  const proxy = await tinyServer(async (req, res, body) => {
    const answer = await fetch(`${mock.url}${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      ),
      ...(body ? { body } : {}),
    });
    res.sendDate = false;
    res
      .writeHead(answer.status, {
        'Content-Type': answer.headers.get('Content-Type') ?? 'application/json',
        Date: serverNow().toUTCString(),
      })
      .end(await answer.text());
  });
  return { store, serverNow, url: proxy.url, credentials: mock.credentials };
}

/** A batch request of another run, left `initialized`, last modified `ago` ms before the server's now. */
function batchModified(store: OmnitronStore, serverNow: () => Date, ago: number): number {
  const batch = store.createBatchRequest();
  batch.modifiedDate = new Date(serverNow().getTime() - ago).toISOString();
  return batch.id;
}

describe.each([
  { name: 'behind', skew: -SKEW },
  { name: 'ahead', skew: SKEW },
])("the stale-batch sweep uses Omnitron's clock when it is 20 minutes $name", ({ skew }) => {
  it('keeps a live batch of another run and closes a truly stale one', async () => {
    const { store, serverNow, url, credentials } = await skewedOmnitron(skew);
    const live = batchModified(store, serverNow, MINUTE);
    const stale = batchModified(store, serverNow, 15 * MINUTE);
    const omnitron = new OmnitronRestIntegration({
      baseUrl: url,
      ...credentials,
      channelId: store.channelId,
      retry: TEST_RETRY,
      timeout: 2000,
    });
    const service = new OrderService({
      omnitron,
      channel: new ScriptedChannel({}),
      staleBatchAfter: 10 * MINUTE,
    });
    await service.fetchAndCreateOrder();
    expect(store.batchRequests.get(live)?.status).toBe('initialized');
    expect(store.batchRequests.get(stale)?.status).toBe('fail');
    // Omnitron's clock, read from its answers: within a few seconds of the skewed one.
    expect(Math.abs(omnitron.omnitronNow().getTime() - serverNow().getTime())).toBeLessThan(5000);
  });
});
