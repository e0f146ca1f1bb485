import { afterEach, describe, expect, it } from 'vitest';
import { OmnitronRestIntegration } from '../../src/index.js';
import { createMockOmnitronServer, type MockOmnitronServer } from '../../src/testing/index.js';
import { TEST_RETRY } from '../support.js';

const servers: MockOmnitronServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// A server may serve fewer items per page than `limit` asks (DRF's `max_page_size`): the pages must then
// be read on until `count` or `next` says the list ended, not until `page × limit` passes `count`.
describe('a list from a server whose pages are smaller than the limit asked', () => {
  // Found by the soak's pages-capped scenario: paging stopped once `page × limit` reached `count`.
  it('reads every page', async () => {
    const server = await createMockOmnitronServer({ maxPageSize: 2 });
    servers.push(server);
    for (let i = 0; i < 5; i += 1) server.store.createBatchRequest();
    const omnitron = new OmnitronRestIntegration({
      baseUrl: server.url,
      ...server.credentials,
      channelId: 1,
      retry: TEST_RETRY,
      pageSize: 100,
    });
    const batches = [];
    for await (const batch of omnitron.listBatchRequests({ statuses: ['initialized'] })) batches.push(batch);
    expect(batches).toHaveLength(5);
  });
});
