/**
 * `npx tsx examples/scheduler/run.ts`: the scheduled demo until Ctrl-C. Needs a Redis: REDIS_URL, or
 * redis://127.0.0.1:6379 by default.
 */
import { startScheduledDemo } from './scheduled-demo.js';

const demo = await startScheduledDemo({
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  logger: {
    debug: () => {},
    info: (fields, message) => console.log(message, JSON.stringify(fields)),
    warn: (fields, message) => console.warn(message, JSON.stringify(fields)),
    error: (fields, message) => console.error(message, JSON.stringify(fields)),
  },
});
console.log('Scheduler running; Ctrl-C stops it after the running flows finish.');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.stop().then(() => process.exit(0));
  });
}
