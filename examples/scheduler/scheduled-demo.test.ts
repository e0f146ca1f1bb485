import { describe, expect, it } from 'vitest';
import { startScheduledDemo } from './scheduled-demo.js';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('the scheduled demo', () => {
  it('imports the demo orders on schedule and stops cleanly', async () => {
    const demo = await startScheduledDemo({ redisUrl: redisUrl as string });
    try {
      const started = Date.now();
      while (demo.omnitron.store.orders.size < 6 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(demo.omnitron.store.orders.size).toBe(6);
    } finally {
      await demo.scheduler.queue?.obliterate({ force: true });
      await demo.stop();
    }
  });
});
