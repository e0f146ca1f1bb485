import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { WebhookRejection } from '../../src/intake/index.js';
import { buildChannelOrder } from '../../src/testing/index.js';
import { capturingLogger } from '../support.js';
import { acmeAdapter, redisUrl, testHandler, until, webhookRequest } from './intake-support.js';

// Values a marketplace may send about a person: none may come back in an answer, a log line or an error.
const EMAIL = 'not-an-email-jane.doe@';
const PHONE = 905551234567;
const FIRST_NAME = 'Jane-Personal-Doe';
const STREET = 'Secret Lane 42';

/** Everything the handler said and logged, and what onRejected got, as text. */
function texts(answers: string[], logs: string[], rejections: WebhookRejection[]): string[] {
  // The payload is handed to onRejected on purpose (for an error report); the error must not repeat it.
  return [
    ...answers,
    ...logs,
    ...rejections.map((r) => inspect(r.error, { depth: Number.POSITIVE_INFINITY })),
  ];
}

describe.skipIf(!redisUrl)('the webhook handler and personal data', () => {
  it('answers a 422 and logs it naming the field and the rule, never the value', async () => {
    const logs: string[] = [];
    const rejections: WebhookRejection[] = [];
    const handler = testHandler({
      logger: capturingLogger(logs),
      onRejected: (r) => void rejections.push(r),
    });
    const order = buildChannelOrder();
    const bad = {
      ...order,
      customer: { ...order.customer, email: EMAIL, phoneNumber: PHONE, firstName: { name: FIRST_NAME } },
      shippingAddress: { ...order.shippingAddress, line: [STREET] },
    };
    const response = await handler(webhookRequest({ type: 'order', data: bad }));
    expect(response.status).toBe(422);
    const answer = await response.text();
    const issues = (JSON.parse(answer) as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['customer.email', 'customer.phoneNumber', 'customer.firstName']),
    );
    await until(() => rejections.length === 1);
    const all = texts([answer], logs, rejections);
    expect(logs.some((l) => l.includes('customer.email'))).toBe(true);
    for (const text of all)
      for (const value of [EMAIL, 'jane.doe', String(PHONE), FIRST_NAME, STREET])
        expect(text).not.toContain(value);
  });

  it('keeps the body out of the log when it is not JSON or the adapter throws', async () => {
    const logs: string[] = [];
    const notJson = testHandler({ logger: capturingLogger(logs) });
    // V8 quotes the text around an unexpected token in its SyntaxError.
    const broken = `{"customer": {"email": jane.doe@example.com, "firstName": "${FIRST_NAME}"}}`;
    const first = await notJson(webhookRequest(broken));
    expect(first.status).toBe(400);
    const throwing = testHandler({
      logger: capturingLogger(logs),
      adapter: {
        verify: acmeAdapter.verify,
        parse: (rawBody) => {
          throw new Error(`cannot map customer ${JSON.parse(rawBody).name}`);
        },
      },
    });
    const second = await throwing(webhookRequest({ name: FIRST_NAME }));
    expect(second.status).toBe(400);
    const answers = [await first.text(), await second.text()];
    expect(logs.length).toBeGreaterThanOrEqual(2);
    for (const text of [...answers, ...logs])
      for (const value of ['jane.doe', FIRST_NAME]) expect(text).not.toContain(value);
  });
});
