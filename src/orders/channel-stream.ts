import { z } from 'zod';
import { ChannelReport } from '../dto/error-report.js';
import { ChannelError } from '../errors/channel-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import type {
  ChannelCallContext,
  ChannelItem,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import type { BatchScope, FlowRun } from './flow-run.js';

/** How to read one kind of channel stream. */
export interface ChannelStreamSpec<S extends z.ZodType> {
  operation: ChannelOperation;
  /** The step name in error reports, such as `GetOrders`. */
  step: string;
  /** What one item is, for messages: `channel order`. */
  subject: string;
  schema: S;
  /** The item's key (order number, remote id) read from raw data, if it has one. */
  keyOf: (raw: Record<string, unknown>) => unknown;
}

const Envelope = z.object({ data: z.unknown(), reports: z.array(ChannelReport).optional() });

/**
 * Reads a channel stream item by item: forwards each item's reports, validates it, and hands valid items
 * to `handle`. An invalid item becomes an `InvalidPayloadError`, an error report and a failed outcome. A
 * failure of the adapter itself (its iterator throws) ends the run with a `ChannelError`.
 */
export async function forEachChannelItem<S extends z.ZodType>(
  run: FlowRun,
  scope: BatchScope,
  spec: ChannelStreamSpec<S>,
  open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  handle: (item: z.infer<S>, key: string) => Promise<void>,
): Promise<void> {
  const iterator = callChannel(spec.operation, () => open(scope.context)[Symbol.asyncIterator]());
  let finished = false;
  let position = 0;
  try {
    while (true) {
      run.throwIfAborted();
      let next: IteratorResult<ChannelItem<unknown>>;
      try {
        next = await iterator.next();
      } catch (cause) {
        throw new ChannelError(spec.operation, { cause });
      }
      if (next.done) {
        finished = true;
        return;
      }
      position += 1;
      run.counts.fetched += 1;
      await readItem(run, scope, spec, next.value, position, handle);
    }
  } finally {
    // Let the adapter close its pages or connections when the run stops early.
    if (!finished) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

async function readItem<S extends z.ZodType>(
  run: FlowRun,
  scope: BatchScope,
  spec: ChannelStreamSpec<S>,
  raw: unknown,
  position: number,
  handle: (item: z.infer<S>, key: string) => Promise<void>,
): Promise<void> {
  const envelope = Envelope.safeParse(raw);
  const data = envelope.success ? envelope.data.data : undefined;
  const key = itemKey(spec, data, position);
  if (!envelope.success) {
    const error = InvalidPayloadError.fromZod(
      'channel',
      `${spec.subject} item (expected { data, reports? })`,
      envelope.error,
    );
    await scope.reporter.failure(spec.step, key, error);
    run.record({ key, status: 'failed', error, batchRequestId: scope.tracker.batch.id });
    return;
  }
  for (const report of envelope.data.reports ?? []) await scope.reporter.channel(spec.step, key, report);
  const parsed = spec.schema.safeParse(data);
  if (!parsed.success) {
    const error = InvalidPayloadError.fromZod('channel', spec.subject, parsed.error);
    await scope.reporter.failure(spec.step, key, error);
    run.record({ key, status: 'failed', error, batchRequestId: scope.tracker.batch.id });
    return;
  }
  await handle(parsed.data, key);
}

/** A readable key for an item: its own id when it has a usable one, else its position. */
function itemKey(spec: ChannelStreamSpec<z.ZodType>, data: unknown, position: number): string {
  if (data !== null && typeof data === 'object') {
    const key = spec.keyOf(data as Record<string, unknown>);
    if ((typeof key === 'string' && key.trim().length > 0) || typeof key === 'number')
      return String(key).slice(0, 128);
  }
  return `#${position}`;
}

/** Calls the channel adapter, turning anything it throws into a `ChannelError`. */
export function callChannel<T>(operation: ChannelOperation, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    throw new ChannelError(operation, { cause });
  }
}

/** Awaits a channel adapter call, turning anything it throws into a `ChannelError`. */
export async function awaitChannel<T>(operation: ChannelOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new ChannelError(operation, { cause });
  }
}

/** Yields one value: lets single-item entry points (`createOrder`) reuse a stream flow. */
export async function* single<T>(item: T): AsyncGenerator<T> {
  yield item;
}
