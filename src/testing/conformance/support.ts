/**
 * What the conformance checks share: the schemas an adapter's answers must pass, the call context they
 * pass it, and the helpers that turn a broken contract into a readable assertion failure.
 */
import { expect } from 'vitest';
import { z } from 'zod';
import { CancellationRequestUpdateResult } from '../../dto/cancellation.js';
import { ChannelReport } from '../../dto/error-report.js';
import { OrderBatchResult } from '../../dto/order-batch-result.js';
import { silentLogger } from '../../foundation/logger.js';
import type { ChannelCallContext, ChannelIntegration } from '../../integrations/channel-integration.js';
import { InMemoryOmnitron } from '../in-memory-omnitron.js';
import type { ChannelProbe } from './probe.js';

/** The `{ data, reports? }` shape every item of every stream must have. */
export const Envelope = z.object({
  data: z.record(z.string(), z.unknown()),
  reports: z.array(ChannelReport).optional(),
});
const WithReports = { reports: z.array(ChannelReport).optional() };
/** What `sendUpdatedOrders` must answer, as the order update flow reads it. */
export const SendAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), ...WithReports }),
  z.object({ status: z.literal('sent_to_remote'), remoteBatchId: z.string().min(1), ...WithReports }),
]);
/** What `checkOrders` must answer, as the batch request check flow reads it. */
export const CheckAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ongoing'), ...WithReports }),
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), ...WithReports }),
]);
/** What `updateCancellationRequest` must answer, as the cancellation request flow reads it. */
export const RequestUpdateAnswer = CancellationRequestUpdateResult.extend(WithReports);

/**
 * Asserts that a list of problems is empty, with the problems in the message itself: vitest shortens a
 * failed `toEqual([])` to "expected [ Array(1) ]", which hides the stream, the id and the field.
 */
export function expectNone(problems: readonly string[], what: string): void {
  expect(problems, problems.length ? `${what}:\n  ${problems.join('\n  ')}\n` : what).toEqual([]);
}

/** One line per zod issue, with the path, so a failure names the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
}

/** A fresh call context for calling the adapter directly, outside a flow. */
export function context(): ChannelCallContext {
  const now = new Date().toISOString();
  return {
    batchRequest: {
      id: 1,
      localBatchId: 'conformance',
      remoteBatchId: null,
      contentType: null,
      status: 'initialized',
      objects: null,
      createdDate: now,
      modifiedDate: now,
    },
    signal: new AbortController().signal,
    logger: silentLogger,
  };
}

/** A fresh in-memory Omnitron, prepared by the probe with what the marketplace's orders refer to. */
export async function omnitronFor(probe: ChannelProbe): Promise<InMemoryOmnitron> {
  const omnitron = new InMemoryOmnitron();
  await probe.prepareOmnitron?.(omnitron);
  return omnitron;
}

/**
 * Makes the channel check its own answers: each answer of `operation` is validated against `schema` before
 * the flow gets it, and what fails is added to `invalid`. The flow would turn an invalid answer into a
 * failed item, which the checks could not tell from a marketplace's refusal. Only a method the adapter
 * implements is wrapped, so `supports` answers as before.
 */
export function validateAnswers(
  channel: ChannelIntegration,
  operation: 'sendUpdatedOrders' | 'checkOrders' | 'updateCancellationRequest',
  schema: z.ZodType,
  invalid: string[],
): void {
  if (!channel.supports(operation)) return;
  const original = channel[operation] as (input: unknown) => Promise<unknown>;
  Object.defineProperty(channel, operation, {
    configurable: true,
    writable: true,
    value: async (input: unknown) => {
      const answer = await original.call(channel, input);
      const parsed = schema.safeParse(answer);
      if (!parsed.success) invalid.push(`${operation}: ${describeIssues(parsed.error)}`);
      return answer;
    },
  });
}
