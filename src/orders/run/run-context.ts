import type { ChannelConf } from '../../dto/channel.js';
import { FlowAbortedError } from '../../errors/run-errors.js';
import type { Logger } from '../../foundation/logger.js';
import type { SecretRedactor } from '../../foundation/redact.js';
import type { OmnitronIntegration } from '../../integrations/omnitron-integration.js';
import type { KeyedLock } from '../../locks/keyed-lock.js';
import type { ChannelPort } from '../channel-port.js';
import type { FlowName } from '../flow-names.js';

/** What flows are built from; {@link OrderService} assembles it once, from its options. */
export interface FlowDependencies {
  omnitron: OmnitronIntegration;
  /** The team's adapter, behind the checks of the port. */
  channel: ChannelPort;
  logger: Logger;
  redactor: SecretRedactor;
  isSuccessLog: boolean;
  /** Orders imported at once, unless a run says otherwise. */
  importConcurrency: number;
  /**
   * A batch left in `commit` or `initialized` unchanged for this long (ms) is closed as `fail` before a
   * flow starts.
   */
  staleBatchAfter: number;
  /** How long a commit waits for another batch of its content type to leave `commit` (ms). */
  commitLockWait: number;
  /** Guards find-or-create of orders, customers and addresses across overlapping runs. */
  lock: KeyedLock;
}

/**
 * What every step of one run reads and none changes: the two systems, the channel's configuration in
 * Omnitron, the run's logger and signal, and whether successes are reported. Steps take it (or the part
 * they use) as a parameter; what a run records goes to its {@link RunLedger}, never here.
 */
export interface RunContext {
  readonly flow: FlowName;
  readonly omnitron: OmnitronIntegration;
  /** The team's adapter, behind the checks of the port. */
  readonly channel: ChannelPort;
  /** The channel's configuration in Omnitron, read when the run started. */
  readonly conf: ChannelConf;
  /** The run's logger (the flow's option, else the service's). */
  readonly logger: Logger;
  /** Scrubs secrets from anything logged or reported. */
  readonly redactor: SecretRedactor;
  /** Guards find-or-create of orders, customers and addresses across overlapping runs. */
  readonly lock: KeyedLock;
  /** The caller's abort signal. */
  readonly signal: AbortSignal;
  /** Whether successful steps are reported too (the flow's option, else the service's). */
  readonly isSuccessLog: boolean;
  /** How long a commit waits for another batch of its content type to leave `commit` (ms). */
  readonly commitLockWait: number;
  /** A batch left in `commit` or `initialized` unchanged for this long (ms) is stale. */
  readonly staleBatchAfter: number;
}

/** Throws `FlowAbortedError` once the caller's signal is aborted. */
export function throwIfAborted(context: Pick<RunContext, 'flow' | 'signal'>): void {
  if (context.signal.aborted) throw new FlowAbortedError(context.flow, context.signal.reason);
}
