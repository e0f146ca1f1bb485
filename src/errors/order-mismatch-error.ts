import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * An order the marketplace and Omnitron both have, but not alike, in a way the SDK cannot repair on its
 * own (`reconcileOrders`): other amounts or lines, or a status the marketplace is ahead of Omnitron on
 * (a cancel or a delivery Omnitron never heard of). The message names the order and every difference, in
 * words a merchant can act on.
 *
 * @group Errors
 */
export class OrderMismatchError extends ChannelAppError {
  static {
    brandClass(OrderMismatchError, 'OrderMismatchError');
  }

  /** The order number. */
  readonly number: string;
  /** Each difference, as a sentence: `amount: marketplace 150.00, Omnitron 120.00`. */
  readonly differences: readonly string[];

  constructor(number: string, differences: readonly string[]) {
    super(
      'ORDER_MISMATCH',
      `Order ${number} differs between the marketplace and Omnitron: ${differences.join('; ')}`,
    );
    this.number = number;
    this.differences = [...differences];
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), number: this.number, differences: this.differences };
  }
}
