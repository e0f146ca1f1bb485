import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChannelAppError,
  type ChannelOrderInput,
  InvalidPayloadError,
  OrderService,
} from '../../src/index.js';
import { buildChannelOrder, InMemoryOmnitron, ScriptedChannel } from '../../src/testing/index.js';

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** Imports the given payloads; returns the result and Omnitron. Never throws for bad items: that is the point. */
async function importPayloads(payloads: unknown[]) {
  const omnitron = new InMemoryOmnitron();
  const service = new OrderService({ omnitron, channel: new ScriptedChannel({ orders: payloads }) });
  const result = await service.fetchAndCreateOrder({ concurrency: 4 });
  return { result, store: omnitron.store };
}

/** Ways to spoil one field of a valid order. */
const spoil = fc.constantFrom(
  (o: Record<string, unknown>) => ({ field: 'number', value: { ...o, number: undefined } }),
  (o: Record<string, unknown>) => ({ field: 'amount', value: { ...o, amount: -12.5 } }),
  (o: Record<string, unknown>) => ({ field: 'amount', value: { ...o, amount: '-1.00' } }),
  (o: Record<string, unknown>) => ({ field: 'amount', value: { ...o, amount: 'NaN' } }),
  (o: Record<string, unknown>) => ({ field: 'currency', value: { ...o, currency: 42 } }),
  (o: Record<string, unknown>) => ({ field: 'number', value: { ...o, number: 'N'.repeat(10_000) } }),
  (o: Record<string, unknown>) => ({ field: 'customer', value: { ...o, customer: { firstName: 'A' } } }),
  (o: Record<string, unknown>) => ({ field: 'shippingAddress', value: { ...o, shippingAddress: null } }),
  (o: Record<string, unknown>) => ({ field: 'items', value: { ...o, items: 'many' } }),
  (o: Record<string, unknown>) => ({
    field: 'items',
    value: { ...o, items: [...(o.items as unknown[]), ...(o.items as unknown[])] },
  }),
  (o: Record<string, unknown>) => ({ field: 'createdAt', value: { ...o, createdAt: 'yesterday' } }),
  (o: Record<string, unknown>) => ({
    field: 'items',
    value: { ...o, items: [{ ...(o.items as Record<string, unknown>[])[0], price: 1e21 }] },
  }),
);

describe('fuzzed marketplace input', () => {
  it('never crashes a flow on arbitrary payloads; each rejected one is a typed error naming a field, with a report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.anything(), { maxLength: 6 }), async (payloads) => {
        const { result, store } = await importPayloads(payloads);
        expect(result.items).toHaveLength(payloads.length);
        for (const item of result.items) {
          expect(item.status).toBe('failed');
          expect(item.error).toBeInstanceOf(InvalidPayloadError);
          expect((item.error as InvalidPayloadError).issues.length).toBeGreaterThan(0);
          expect(store.errorReports.some((r) => !r.isOk && r.errorCode.endsWith(`-${item.key}`))).toBe(true);
        }
        expect(result.batchRequest?.status).toBe('done');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('rejects near-valid orders with an error naming the spoiled field, and imports the valid ones beside them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spoil, { minLength: 1, maxLength: 5 }), async (spoilers) => {
        const spoiled = spoilers.map((s) => s(buildChannelOrder() as unknown as Record<string, unknown>));
        const good = buildChannelOrder();
        const { result, store } = await importPayloads([...spoiled.map((s) => s.value), good]);
        spoiled.forEach((s, index) => {
          const error = result.items[index]?.error;
          expect(error, s.field).toBeInstanceOf(InvalidPayloadError);
          expect(
            (error as InvalidPayloadError).issues.some(
              (issue) => issue.path === s.field || issue.path.startsWith(`${s.field}.`),
            ),
            `${s.field}: ${(error as Error).message}`,
          ).toBe(true);
        });
        expect(result.items.at(-1)?.status).toBe('created');
        expect(store.orders.size).toBe(1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('turns odd but well-formed text (unicode names, unknown places) into created orders or typed errors, never a crash', async () => {
    const oddText = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(oddText, oddText, oddText, async (name, city, product) => {
        const order: ChannelOrderInput = buildChannelOrder({
          customer: { firstName: name, lastName: name },
          shippingAddress: { city, firstName: name },
          items: [{ remoteId: `L-${product}`, product, price: '1.00', taxRate: '0' }],
        });
        const { result } = await importPayloads([order]);
        const [item] = result.items;
        if (item?.status !== 'created') expect(item?.error).toBeInstanceOf(ChannelAppError);
        expect(item?.error?.code).not.toBe('UNEXPECTED');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
