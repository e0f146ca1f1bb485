import { z } from 'zod';
import { ChannelReport } from '../dto/error-report.js';
import { CHANNEL_ITEM_LIMITS, toPlainData } from '../dto/plain-data.js';
import { ChannelError } from '../errors/channel-error.js';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import type {
  ChannelCallContext,
  ChannelItem,
  ChannelOperation,
} from '../integrations/channel-integration.js';
import type { SecretRedactor } from '../reporting/redact.js';
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
  const { redactor } = run.deps;
  const iterator = callChannel(redactor, spec.operation, () =>
    open(session.current.context)[Symbol.asyncIterator](),
  );
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
        throw new ChannelError(spec.operation, { cause, redactor });
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
  // Read the adapter's value once, into plain data within limits: from here on no getter, proxy trap or
  // toJSON of the adapter's runs again, and a value JSON cannot hold fails this item alone.
  const plain = toPlainData(raw, CHANNEL_ITEM_LIMITS);
  const envelope = plain.ok ? Envelope.safeParse(plain.value) : null;
  const data = envelope?.success ? envelope.data.data : plain.ok ? undefined : readData(raw);
  const key = itemKey(spec, data, position);
  const rejected =
    (error: InvalidPayloadError): Finish =>
    async () => {
      const scope = session.current;
      await scope.reporter.failure(spec.step, key, error);
      run.record({ key, status: 'failed', error, batchRequestId: scope.tracker.batch.id });
    };
  if (!plain.ok) {
    const path = plain.path[0] === 'data' ? plain.path.slice(1) : plain.path;
    return rejected(
      new InvalidPayloadError('channel', spec.subject, [{ path: formatPath(path), message: plain.message }]),
    );
  }
  if (!envelope?.success) {
    return rejected(
      InvalidPayloadError.fromZod(
        'channel',
        `${spec.subject} item (expected { data, reports? })`,
        (envelope as z.ZodSafeParseError<unknown>).error,
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

/**
 * A readable key for an item: its own id when it has a usable one, else its position. It may read a value
 * that could not be copied, so any throw falls back to the position.
 */
function itemKey(spec: ChannelStreamSpec<z.ZodType>, data: unknown, position: number): string {
  try {
    if (data !== null && typeof data === 'object') {
      const key = spec.keyOf(data as Record<string, unknown>);
      if ((typeof key === 'string' && key.trim().length > 0) || typeof key === 'number')
        return String(key).slice(0, 128);
    }
  } catch {
    // A getter or proxy trap threw: the item is refused anyway, and its position names it.
  }
  return `#${position}`;
}

/** The `data` of an item that could not be copied, for its key only; `undefined` when even that throws. */
function readData(raw: unknown): unknown {
  try {
    return raw !== null && typeof raw === 'object' ? (raw as { data?: unknown }).data : undefined;
  } catch {
    return undefined;
  }
}

/** A dotted path for a message, shortened in the middle when a value is nested very deep. */
function formatPath(path: readonly (string | number)[]): string {
  const parts = path.map(String);
  if (parts.length <= 12) return parts.join('.');
  return `${parts.slice(0, 8).join('.')}.…(${parts.length - 10} more).${parts.slice(-2).join('.')}`;
}

/**
 * Calls the channel adapter, turning anything it throws into a `ChannelError` that keeps only a redacted
 * snapshot of it (the service's redactor knows its `secrets`).
 */
export function callChannel<T>(redactor: SecretRedactor, operation: ChannelOperation, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    throw new ChannelError(operation, { cause, redactor });
  }
}

/**
 * Awaits a channel adapter call, turning anything it throws into a redacted `ChannelError`. The answer is
 * copied into plain data within `CHANNEL_ITEM_LIMITS`, so a hostile answer (a cycle, a throwing getter)
 * is a typed `ChannelError` whose cause is an `InvalidPayloadError`, not an unexpected crash later on.
 */
export async function awaitChannel<T>(
  redactor: SecretRedactor,
  operation: ChannelOperation,
  call: () => Promise<T>,
): Promise<T> {
  let answer: T;
  try {
    answer = await call();
  } catch (cause) {
    throw new ChannelError(operation, { cause, redactor });
  }
  const plain = toPlainData(answer, CHANNEL_ITEM_LIMITS);
  if (plain.ok) return plain.value as T;
  const invalid = new InvalidPayloadError('channel', `${operation} answer`, [
    { path: formatPath(plain.path), message: plain.message },
  ]);
  throw new ChannelError(operation, { cause: invalid, redactor });
}

/** Yields one value: lets single-item entry points (`createOrder`) reuse a stream flow. */
export async function* single<T>(item: T): AsyncGenerator<T> {
  yield item;
}
