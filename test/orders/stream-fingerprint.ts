import type { FlowResult } from '../../src/index.js';
import type { OmnitronStore, ScriptedChannel } from '../../src/testing/index.js';

/**
 * What a stream flow's run must give at any concurrency: outcomes in order, counts, error reports (run ids
 * stripped), batch statuses and what the adapter was told. A test adds the Omnitron state its flow changes.
 */
export function streamFingerprint(result: FlowResult, store: OmnitronStore, channel: ScriptedChannel) {
  const batchIds = new Set(result.batchRequests.map((b) => b.localBatchId));
  const strip = (text: string) => [...batchIds].reduce((t, id) => t.split(id).join('<batch>'), text);
  return {
    items: result.items.map((i) => [i.key, i.status, i.error?.code]),
    counts: result.counts,
    reports: store.errorReports.map((r) => [strip(r.errorCode), r.isOk]).sort(),
    batches: result.batchRequests.map((b) => b.status),
    acknowledged: channel.itemAcknowledgements.map(({ operation, input }) => [
      operation,
      input.applied.map((i) => [i.key, i.status]),
      input.failed.map((i) => [i.key, i.code]),
    ]),
  };
}
