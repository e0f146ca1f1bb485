import { brandClass } from './brand.js';
import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';

/**
 * Omnitron already has an order with this number on this channel.
 *
 * @group Errors
 */
export class DuplicateOrderError extends ChannelAppError {
  static {
    brandClass(DuplicateOrderError, 'DuplicateOrderError');
  }

  /** The order number. */
  readonly orderNumber: string;
  /** The marketplace id of the order that holds the number, when it differs from the one being imported. */
  readonly existingRemoteId: string | undefined;

  constructor(orderNumber: string, options: ChannelAppErrorOptions & { existingRemoteId?: string } = {}) {
    const holder = options.existingRemoteId ? ` for marketplace order "${options.existingRemoteId}"` : '';
    super(
      'DUPLICATE_ORDER',
      `Order number "${orderNumber}" already exists on this channel${holder}`,
      options,
    );
    this.orderNumber = orderNumber;
    this.existingRemoteId = options.existingRemoteId;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), orderNumber: this.orderNumber, existingRemoteId: this.existingRemoteId };
  }
}
