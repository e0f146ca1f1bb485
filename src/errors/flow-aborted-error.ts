import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * The caller's `AbortSignal` stopped a flow before it finished; its batch request was closed as `fail`.
 *
 * @group Errors
 */
export class FlowAbortedError extends ChannelAppError {
  static {
    brandClass(FlowAbortedError, 'FlowAbortedError');
  }

  constructor(flow: string, cause?: unknown) {
    super('FLOW_ABORTED', `Flow ${flow} was aborted`, { cause, retriable: true });
  }
}
