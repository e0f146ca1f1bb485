import { UnexpectedError } from '../../errors/run-errors.js';
import type {
  AcknowledgedItem,
  ItemAcknowledgement,
  RejectedItem,
} from '../../integrations/channel-integration.js';
import { ORDER_SIZES } from '../defaults.js';
import type { ItemOutcome } from '../flow-result.js';
import type { BatchScope } from '../run/batch-scope.js';
import type { RunContext } from '../run/run-context.js';
import type { Worked } from '../run/work-in-order.js';

/** How many items (applied and failed together) one acknowledge call carries. */
const ACKNOWLEDGE_CHUNK = ORDER_SIZES.acknowledgement;

const APPLIED: readonly string[] = ['created', 'updated', 'already_present', 'unchanged'];

/** Whether an outcome's status says the item was applied (or found applied). */
function isApplied(status: string): status is AcknowledgedItem['status'] {
  return APPLIED.includes(status);
}

/** The error-report step of an acknowledge method: `AcknowledgeCancels` for `acknowledgeCancels`. */
function stepOf(operation: ItemAcknowledgement): string {
  return operation.charAt(0).toUpperCase() + operation.slice(1);
}

/**
 * Gathers what became of a stream's items, in stream order, and tells the adapter once their batch
 * request is `done` (see `ChannelIntegration.acknowledgeCancels`): nothing is gathered when the adapter
 * does not implement the method. As with `acknowledgeOrders`, a failure here loses nothing: it is logged
 * and reported, and the run goes on.
 */
export class ItemAcknowledger {
  readonly #context: RunContext;
  readonly #operation: ItemAcknowledgement;
  readonly #enabled: boolean;
  #items: ({ applied: AcknowledgedItem } | { failed: RejectedItem })[] = [];

  constructor(context: RunContext, operation: ItemAcknowledgement) {
    this.#context = context;
    this.#operation = operation;
    this.#enabled = context.channel.supports(operation);
  }

  /** An item applied (or found applied), with its outcome. */
  applied(outcome: Pick<ItemOutcome, 'key' | 'status' | 'omnitronId'> & { remoteId?: string | null }): void {
    const { key, remoteId, status, omnitronId } = outcome;
    if (!this.#enabled || !isApplied(status)) return;
    this.#items.push({
      applied: {
        key,
        status,
        ...(remoteId ? { remoteId } : {}),
        ...(omnitronId === undefined ? {} : { omnitronId }),
      },
    });
  }

  /** An item that failed (invalid, or its work threw). */
  failed(item: Worked<unknown, unknown> & { ok: false }): void {
    if (!this.#enabled) return;
    const message = this.#context.redactor.redactText(item.error.message);
    const { key, remoteId } = item;
    this.#items.push({ failed: { key, code: item.error.code, message, ...(remoteId ? { remoteId } : {}) } });
  }

  /** Tells the adapter about every item gathered, when `scope`'s batch request is `done`; then forgets them. */
  async send(scope: BatchScope): Promise<void> {
    const items = this.#items;
    this.#items = [];
    if (!this.#enabled || items.length === 0 || scope.tracker.batch.status !== 'done') return;
    for (let start = 0; start < items.length; start += ACKNOWLEDGE_CHUNK) {
      const chunk = items.slice(start, start + ACKNOWLEDGE_CHUNK);
      const applied = chunk.flatMap((item) => ('applied' in item ? [item.applied] : []));
      const failed = chunk.flatMap((item) => ('failed' in item ? [item.failed] : []));
      try {
        await this.#context.channel.acknowledgeItems(this.#operation, { ...scope.context, applied, failed });
      } catch (thrown) {
        const error = UnexpectedError.wrap(thrown, this.#context.redactor);
        this.#context.logger.warn(
          {
            flow: this.#context.flow,
            items: chunk.length,
            error: this.#context.redactor.redactText(error.message),
          },
          `${this.#operation} failed; the marketplace was not told about these items`,
        );
        await scope.reporter.failure(stepOf(this.#operation), `${start}-${start + chunk.length - 1}`, error);
      }
    }
  }
}
