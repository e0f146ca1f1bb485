import type { ChannelAppError } from '../../errors/channel-app-error.js';
import { BatchTransitionError, OmnitronAuthError } from '../../errors/omnitron-errors.js';
import { FlowAbortedError, UnexpectedError } from '../../errors/run-errors.js';
import { inItemSpan } from '../../telemetry/telemetry.js';
import type { RunContext } from './run-context.js';

/**
 * Errors that end the whole run rather than one item: the caller's abort, Omnitron refusing a batch
 * transition, and refused credentials (they would fail every item alike). The one place this is decided.
 */
export function endsRun(error: unknown): boolean {
  return (
    error instanceof FlowAbortedError ||
    error instanceof BatchTransitionError ||
    error instanceof OmnitronAuthError
  );
}

/**
 * Runs one item's work and returns its value or its typed error (logged), leaving the reporting to the
 * caller, which reports in input order. An error that ends the run is rethrown (see {@link endsRun}).
 */
export async function attempt<T>(
  context: Pick<RunContext, 'flow' | 'logger' | 'redactor'>,
  step: string,
  key: string,
  work: () => Promise<T>,
): Promise<{ value: T } | { error: ChannelAppError }> {
  const { flow, logger, redactor } = context;
  try {
    return { value: await inItemSpan(flow, step, key, work) };
  } catch (thrown) {
    if (endsRun(thrown)) throw thrown;
    const error = UnexpectedError.wrap(thrown, redactor);
    logger.warn(
      { flow, step, key, code: error.code, error: redactor.redactText(error.message) },
      'item failed',
    );
    return { error };
  }
}
