import { z } from 'zod';
import {
  CancellationRequestUpdateResult,
  CancelOrder,
  ChannelCancellationRequest,
} from '../dto/cancellation.js';
import { ChannelOrder } from '../dto/channel-order.js';
import { ChannelReport } from '../dto/error-report.js';
import { OrderBatchResult } from '../dto/order-batch-result.js';
import { OrderItemUpdate } from '../dto/order-item-update.js';
import { CHANNEL_ITEM_LIMITS, toPlainData } from '../dto/plain-data.js';
import { ChannelError, InvalidPayloadError } from '../errors/channel-errors.js';
import type { SecretRedactor } from '../foundation/redact.js';
import type {
  AcknowledgeItemsInput,
  AcknowledgeOrdersInput,
  ChannelCallContext,
  ChannelIntegration,
  ChannelItem,
  ChannelOperation,
  CheckOrdersInput,
  ItemAcknowledgement,
  ListOrdersInput,
  SendUpdatedOrdersInput,
  UpdateCancellationRequestInput,
} from '../integrations/channel-integration.js';

/**
 * One item a channel stream yielded, checked: its key (order number, marketplace id, or `#<position>`
 * when it has none), the reports the adapter attached, and either the valid data or why it is invalid.
 */
export type Incoming<T> = {
  key: string;
  /** The marketplace's id of the item (order, line, request), when it has a readable one. */
  remoteId?: string;
  reports: ChannelReport[];
} & (
  | { ok: true; data: T }
  | {
      ok: false;
      error: InvalidPayloadError;
      /** The invalid data as the adapter gave it (a plain copy), for the error report; absent when it could not be copied. */
      payload?: unknown;
    }
);

const Reports = z.array(ChannelReport).optional();

/** The answer of `sendUpdatedOrders`, as the flows may rely on it. */
const SendUpdatedOrdersAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), reports: Reports }),
  z.object({
    status: z.literal('sent_to_remote'),
    // Polled with later: an empty id would poll the marketplace for nothing, forever.
    remoteBatchId: z.string().trim().min(1, 'must be the marketplace job id to poll'),
    reports: Reports,
  }),
]);
/** A checked answer of `sendUpdatedOrders`. */
export type SendUpdatedOrdersAnswer = z.infer<typeof SendUpdatedOrdersAnswer>;

/** The answer of `checkOrders`. */
const CheckOrdersAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ongoing'), reports: Reports }),
  z.object({ status: z.literal('done'), results: z.array(OrderBatchResult), reports: Reports }),
]);
/** A checked answer of `checkOrders`. */
export type CheckOrdersAnswer = z.infer<typeof CheckOrdersAnswer>;

/** The answer of `updateCancellationRequest`. */
const UpdateCancellationRequestAnswer = CancellationRequestUpdateResult.extend({ reports: Reports });
/** A checked answer of `updateCancellationRequest`. */
export type UpdateCancellationRequestAnswer = z.infer<typeof UpdateCancellationRequestAnswer>;

/** How one kind of stream item is checked. */
interface ItemSpec<S extends z.ZodType> {
  operation: ChannelOperation;
  /** What one item is, for messages: `channel order`. */
  subject: string;
  schema: S;
  /** The item's key read from its raw data, if it has one (see `ItemOutcome.key`). */
  keyOf: (raw: Record<string, unknown>) => unknown;
  /** The marketplace's id of the item read from its raw data, if it has one. */
  remoteIdOf: (raw: Record<string, unknown>) => unknown;
}

/** An item spec; `remoteIdOf` defaults to `keyOf`. */
function itemSpec<S extends z.ZodType>(
  operation: ChannelOperation,
  subject: string,
  schema: S,
  keyOf: ItemSpec<S>['keyOf'],
  remoteIdOf: ItemSpec<S>['remoteIdOf'] = keyOf,
): ItemSpec<S> {
  return { operation, subject, schema, keyOf, remoteIdOf };
}

const ORDER = itemSpec(
  'getOrders',
  'channel order',
  ChannelOrder,
  (raw) => raw.number ?? raw.remoteId,
  (raw) => raw.remoteId,
);
// A listed order is a full order (it may need importing), named like a new one.
const LISTED_ORDER = itemSpec('listOrders', 'listed order', ChannelOrder, ORDER.keyOf, ORDER.remoteIdOf);
// A cancellation is keyed by its order (cancels of one order run one after another), and named by its own
// marketplace id when it has one: two cancels of one order are then told apart in outcomes and
// acknowledgements.
const CANCEL = itemSpec(
  'getCancelledOrders',
  'order cancellation',
  CancelOrder,
  (raw) => raw.order,
  (raw) => raw.remoteId ?? raw.order,
);
const ITEM_UPDATE = itemSpec(
  'getUpdatedOrderItems',
  'order item update',
  OrderItemUpdate,
  (raw) => raw.remoteId,
);
const CANCELLATION_REQUEST = itemSpec(
  'getCancellationRequests',
  'cancellation request',
  ChannelCancellationRequest,
  (raw) => raw.remoteId,
);

// `data` is checked apart, so a missing one gets a message that says what to yield.
const Envelope = z.object({ data: z.unknown().optional(), reports: z.array(ChannelReport).optional() });

/**
 * The flows' only way to the team's {@link ChannelIntegration}: one method per operation. Every stream
 * item and every answer is copied into plain data within limits and checked with its schema, so the
 * flows see valid data or an `InvalidPayloadError` naming the field; whatever the adapter throws becomes,
 * once, a `ChannelError` keeping only a redacted snapshot of it.
 */
export class ChannelPort {
  readonly #channel: ChannelIntegration;
  readonly #redactor: SecretRedactor;

  constructor(channel: ChannelIntegration, redactor: SecretRedactor) {
    this.#channel = channel;
    this.#redactor = redactor;
  }

  /** The adapter's name, for messages. */
  get name(): string {
    return this.#channel.name;
  }

  /** Whether the adapter implements an operation. */
  supports(operation: ChannelOperation): boolean {
    return this.#channel.supports(operation);
  }

  /** New orders (`getOrders`). */
  orders(context: ChannelCallContext): AsyncGenerator<Incoming<ChannelOrder>> {
    return this.#stream(ORDER, () => this.#channel.getOrders(context));
  }

  /** The marketplace's orders of a time window (`listOrders`). */
  listedOrders(input: ListOrdersInput): AsyncGenerator<Incoming<ChannelOrder>> {
    return this.#stream(LISTED_ORDER, () => this.#channel.listOrders(input));
  }

  /** Cancellations (`getCancelledOrders`). */
  cancelledOrders(context: ChannelCallContext): AsyncGenerator<Incoming<CancelOrder>> {
    return this.#stream(CANCEL, () => this.#channel.getCancelledOrders(context));
  }

  /** Order-line changes (`getUpdatedOrderItems`). */
  updatedOrderItems(context: ChannelCallContext): AsyncGenerator<Incoming<OrderItemUpdate>> {
    return this.#stream(ITEM_UPDATE, () => this.#channel.getUpdatedOrderItems(context));
  }

  /** Cancellation and return requests (`getCancellationRequests`). */
  cancellationRequests(context: ChannelCallContext): AsyncGenerator<Incoming<ChannelCancellationRequest>> {
    return this.#stream(CANCELLATION_REQUEST, () => this.#channel.getCancellationRequests(context));
  }

  /** One order given by the caller (a webhook, say), checked like a fetched one. */
  givenOrder(data: unknown): Incoming<ChannelOrder> {
    return this.#item(ORDER, { data }, 1);
  }

  /** One cancellation given by the caller, checked like a fetched one. */
  givenCancel(data: unknown): Incoming<CancelOrder> {
    return this.#item(CANCEL, { data }, 1);
  }

  /** Sends changed orders; the answer is checked (`InvalidPayloadError` when it is not usable). */
  sendUpdatedOrders(input: SendUpdatedOrdersInput): Promise<SendUpdatedOrdersAnswer> {
    return this.#answer('sendUpdatedOrders', SendUpdatedOrdersAnswer, () =>
      this.#channel.sendUpdatedOrders(input),
    );
  }

  /** Polls an asynchronous order update; the answer is checked. */
  checkOrders(input: CheckOrdersInput): Promise<CheckOrdersAnswer> {
    return this.#answer('checkOrders', CheckOrdersAnswer, () => this.#channel.checkOrders(input));
  }

  /** Sends a changed cancellation request; the answer is checked. */
  updateCancellationRequest(input: UpdateCancellationRequestInput): Promise<UpdateCancellationRequestAnswer> {
    return this.#answer('updateCancellationRequest', UpdateCancellationRequestAnswer, () =>
      this.#channel.updateCancellationRequest(input),
    );
  }

  /** Acknowledges orders Omnitron confirmed. */
  async acknowledgeOrders(input: AcknowledgeOrdersInput): Promise<void> {
    try {
      await this.#channel.acknowledgeOrders(input);
    } catch (cause) {
      throw new ChannelError('acknowledgeOrders', { cause, redactor: this.#redactor });
    }
  }

  /** Tells the marketplace what became of a stream's items (`acknowledgeCancels` and the like). */
  async acknowledgeItems(operation: ItemAcknowledgement, input: AcknowledgeItemsInput): Promise<void> {
    try {
      await this.#channel[operation](input);
    } catch (cause) {
      throw new ChannelError(operation, { cause, redactor: this.#redactor });
    }
  }

  /**
   * Reads an adapter stream, checking each item. A failure of the adapter itself (opening the stream, or
   * its iterator throwing) is a `ChannelError`; the adapter's iterator is closed when the reader stops early.
   */
  async *#stream<S extends z.ZodType>(
    spec: ItemSpec<S>,
    open: () => AsyncIterable<ChannelItem<unknown>>,
  ): AsyncGenerator<Incoming<z.infer<S>>> {
    const iterator = this.#call(spec.operation, () => open()[Symbol.asyncIterator]());
    let exhausted = false;
    try {
      for (let position = 1; ; position += 1) {
        let next: IteratorResult<ChannelItem<unknown>>;
        try {
          next = await iterator.next();
        } catch (cause) {
          exhausted = true;
          throw new ChannelError(spec.operation, { cause, redactor: this.#redactor });
        }
        if (next.done) {
          exhausted = true;
          return;
        }
        yield this.#item(spec, next.value, position);
      }
    } finally {
      // Let the adapter close its pages or connections when the flow stops early.
      if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }

  /** Checks one raw stream item. */
  #item<S extends z.ZodType>(spec: ItemSpec<S>, raw: unknown, position: number): Incoming<z.infer<S>> {
    // Read the adapter's value once, into plain data within limits: from here on no getter, proxy trap or
    // toJSON of the adapter's runs again, and a value JSON cannot hold fails this item alone.
    const plain = toPlainData(raw, CHANNEL_ITEM_LIMITS);
    if (!plain.ok) {
      const path = plain.path[0] === 'data' ? plain.path.slice(1) : plain.path;
      const issue = { path: formatPath(path), message: plain.message };
      const data = readData(raw);
      return {
        ok: false,
        ...ids(spec, data, position),
        reports: [],
        error: new InvalidPayloadError('channel', spec.subject, [issue]),
      };
    }
    const envelope = Envelope.safeParse(plain.value);
    if (!envelope.success || envelope.data.data === undefined) {
      // The usual slip: yielding the item itself rather than `{ data: item }`.
      const message = `expected { data, reports? } with the ${spec.subject} in data: yield { data: item }, not the item itself`;
      const error = envelope.success
        ? new InvalidPayloadError('channel', spec.subject, [{ path: '', message }])
        : InvalidPayloadError.fromZod(
            'channel',
            `${spec.subject} item (expected { data, reports? })`,
            envelope.error,
          );
      return { ok: false, ...ids(spec, plain.value, position), reports: [], error, payload: plain.value };
    }
    const { data } = envelope.data;
    const named = ids(spec, data, position);
    const reports = envelope.data.reports ?? [];
    const parsed = spec.schema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      const error = InvalidPayloadError.fromZod('channel', spec.subject, parsed.error);
      return { ok: false, ...named, reports, error, payload: data };
    }
    return { ok: true, ...named, reports, data: parsed.data };
  }

  /** Calls the adapter for an answer and checks it. */
  async #answer<S extends z.ZodType>(
    operation: ChannelOperation,
    schema: S,
    call: () => Promise<unknown>,
  ): Promise<z.infer<S>> {
    let answer: unknown;
    try {
      answer = await this.#call(operation, call);
    } catch (cause) {
      if (cause instanceof ChannelError) throw cause;
      throw new ChannelError(operation, { cause, redactor: this.#redactor });
    }
    const subject = `${operation} answer`;
    const plain = toPlainData(answer, CHANNEL_ITEM_LIMITS);
    if (!plain.ok)
      throw new InvalidPayloadError('channel', subject, [
        { path: formatPath(plain.path), message: plain.message },
      ]);
    const parsed = schema.safeParse(plain.value, { reportInput: true });
    if (!parsed.success) throw InvalidPayloadError.fromZod('channel', subject, parsed.error);
    return parsed.data;
  }

  /** Calls the adapter synchronously, turning a throw into a redacted `ChannelError`. */
  #call<T>(operation: ChannelOperation, call: () => T): T {
    try {
      return call();
    } catch (cause) {
      throw new ChannelError(operation, { cause, redactor: this.#redactor });
    }
  }
}

/**
 * How an item is named: its key (its own id when it has a usable one, else its position) and its
 * marketplace id. It may read a value that could not be copied, so any throw counts as no id.
 */
function ids(spec: ItemSpec<z.ZodType>, data: unknown, position: number): { key: string; remoteId?: string } {
  const key = readId(spec.keyOf, data) ?? `#${position}`;
  const remoteId = readId(spec.remoteIdOf, data);
  return remoteId === undefined ? { key } : { key, remoteId };
}

/** A usable id read from raw data with `read`, trimmed and at most 128 characters; `undefined` if none. */
function readId(read: (raw: Record<string, unknown>) => unknown, data: unknown): string | undefined {
  try {
    if (data !== null && typeof data === 'object') {
      const id = read(data as Record<string, unknown>);
      if ((typeof id === 'string' && id.trim().length > 0) || typeof id === 'number')
        return String(id).trim().slice(0, 128);
    }
  } catch {
    // A getter or proxy trap threw: the item is refused anyway, and its position names it.
  }
  return undefined;
}

/** The `data` of an item that could not be copied, for its names only; `undefined` when even that throws. */
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
