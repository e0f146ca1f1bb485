import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../src/foundation/redact.js';
import { ThrottledErrorLog } from '../../src/scheduler/throttled-error-log.js';
import { capturingLogger } from '../support.js';

// What the scheduler logs of Redis and BullMQ errors: an on-call engineer reads `error` lines as "act now".

describe('ThrottledErrorLog', () => {
  it('logs an error once per interval, redacted, then with how often it recurred', () => {
    const lines: string[] = [];
    const log = new ThrottledErrorLog(capturingLogger(lines), new SecretRedactor(['s3cret-pass']));
    for (let i = 0; i < 5; i += 1)
      log.log('scheduler queue error', new Error('connect ECONNREFUSED (s3cret-pass)'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error scheduler queue error /);
    expect(lines[0]).not.toContain('s3cret-pass');
  });

  it("logs BullMQ's error for a job removed from Redis while it ran as a warning, not an error", () => {
    const lines: string[] = [];
    const log = new ThrottledErrorLog(capturingLogger(lines), new SecretRedactor([]));
    // BullMQ's own words when a job's key is gone as the worker records how it ended.
    log.log(
      'scheduler worker error',
      new Error('Missing key for job repeat:ch-1:fetchAndCreateOrder:17. moveToFinished'),
    );
    log.log('scheduler worker error', new Error('Missing lock for job 42. moveToFinished'));
    expect(lines[0]).toMatch(
      /^warn scheduler worker error: the job was removed from Redis while it ran; its run is over .*Missing key for job/,
    );
    // Anything else stays an error.
    expect(lines[1]).toMatch(/^error scheduler worker error .*Missing lock for job 42/);
  });
});
