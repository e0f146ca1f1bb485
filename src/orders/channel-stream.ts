import { z } from 'zod';
import { ChannelReport } from '../dto/error-report.js';
import { ChannelError } from '../errors/channel-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import type {
  ChannelCallContext,
  ChannelItem,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import type { BatchSession, FlowRun } from './flow-run.js';
import { OrderedPool } from './ordered-pool.js';

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

/** The part of an item's handling that runs in input order: recording, committing, reporting. */
export type Finish = () => Promise<void>;

/**
 * Reads a channel stream item by item: validates each item and hands valid ones to `handle`, up to
 * `concurrency` at once. `handle` does the item's work and returns its finish, which runs in input order
 * (so outcomes, reports and batch objects do not depend on timing). An invalid item becomes an
 * `InvalidPayloadError`, an error report and a failed outcome. A failure of the adapter itself (its
 * iterator throws) ends the run with a `ChannelError`, after the items in flight have finished.
 */
export async function forEachChannelItem<S extends z.ZodType>(
  run: FlowRun,
  session: BatchSession,
  spec: ChannelStreamSpec<S>,
  open: (context: ChannelCallContext) => AsyncIterable<ChannelItem<unknown>>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that finishes everything itself returns nothing.
  handle: (item: z.infer<S>, key: string) => Promise<Finish | void>,
  concurrency = 1,
): Promise<void> {
  const iterator = callChannel(spec.operation, () => open(session.current.context)[Symbol.asyncIterator]());
  const pool = new OrderedPool(concurrency);
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
        break;
      }
      position += 1;
      run.counts.fetched += 1;
      const raw = next.value;
      const at = position;
      // Checked when the item's turn comes, not when it was read: an abort may land while it waits.
      await pool.submit(() => {
        run.throwIfAborted();
        return readItem(run, session, spec, raw, at, handle);
      });
    }
    await pool.drain();
    // An abort that came while the last items were in flight still counts.
    run.throwIfAborted();
  } finally {
    // Let items in flight finish, and the adapter close its pages or connections, when the run stops early.
    if (!finished) {
      await pool.drain().catch(() => undefined);
      await Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}

async function readItem<S extends z.ZodType>(
  run: FlowRun,
  session: BatchSession,
  spec: ChannelStreamSpec<S>,
  raw: unknown,
  position: number,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that finishes everything itself returns nothing.
  handle: (item: z.infer<S>, key: string) => Promise<Finish | void>,
): Promise<Finish> {
  const envelope = Envelope.safeParse(raw);
  const data = envelope.success ? envelope.data.data : undefined;
  const key = itemKey(spec, data, position);
  const rejected =
    (error: InvalidPayloadError): Finish =>
    async () => {
      const scope = session.current;
      await scope.reporter.failure(spec.step, key, error);
      run.record({ key, status: 'failed', error, batchRequestId: scope.tracker.batch.id });
    };
  if (!envelope.success) {
    return rejected(
      InvalidPayloadError.fromZod(
        'channel',
        `${spec.subject} item (expected { data, reports? })`,
        envelope.error,
      ),
    );
  }
  const reports = async () => {
    for (const report of envelope.data.reports ?? [])
      await session.current.reporter.channel(spec.step, key, report);
  };
  const parsed = spec.schema.safeParse(data);
  if (!parsed.success) {
    const reject = rejected(InvalidPayloadError.fromZod('channel', spec.subject, parsed.error));
    return async () => {
      await reports();
      await reject();
    };
  }
  const finish = await handle(parsed.data, key);
  return async () => {
    await reports();
    if (finish) await finish();
  };
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
