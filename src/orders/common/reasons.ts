import type { ChannelConf } from '../../dto/channel.js';
import { ReasonNotMappedError } from '../../errors/lookup-errors.js';

/**
 * The Omnitron reason id for a marketplace reason code: from `reason_mapping`, else the configured
 * `cancellation_reason_id`. Without either it fails: the Python version sent a made-up reason 10.
 */
export function omnitronReason(conf: ChannelConf, code: string): number {
  const id = conf.reasonMapping[code] ?? conf.cancellationReasonId;
  if (id === null || id === undefined) throw new ReasonNotMappedError(code, 'toOmnitron');
  return id;
}

/** The marketplace reason code for an Omnitron reason id: the first `reason_mapping` entry that maps to it. */
export function channelReason(conf: ChannelConf, reasonId: number): string {
  for (const [code, id] of Object.entries(conf.reasonMapping)) if (id === reasonId) return code;
  throw new ReasonNotMappedError(String(reasonId), 'toChannel');
}
