/**
 * The benchmark's Omnitron: the mock server in a child process, so the parent's memory figures are the
 * SDK's alone. It reports its URL on start and its request count when asked.
 */
import { createMockOmnitronServer } from '../src/testing/index.js';

const latency = Number(process.env.BENCH_LATENCY ?? 10);
const server = await createMockOmnitronServer({ latency });
// Keep the request log short: a long run would otherwise measure the log's memory.
const keep = () => server.requests.splice(0, server.requests.length).length;
let requests = 0;
setInterval(() => {
  requests += keep();
}, 1000).unref();

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    requests += keep();
    process.send?.({ type: 'stats', requests, orders: server.store.orders.size });
  }
  if (message.type === 'stop') void server.close().then(() => process.exit(0));
});
process.send?.({
  type: 'ready',
  url: server.url,
  credentials: server.credentials,
  channelId: server.store.channelId,
});
