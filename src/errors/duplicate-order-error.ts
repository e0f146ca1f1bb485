import { ChannelAppError, type ChannelAppErrorOptions } from './channel-app-error.js';

/** Omnitron already has an order with this number on this channel. */
export class DuplicateOrderError extends ChannelAppError {
  /** The order number. */
  readonly orderNumber: string;

  constructor(orderNumber: string, options: ChannelAppErrorOptions = {}) {
    super('DUPLICATE_ORDER', `Order number "${orderNumber}" already exists on this channel`, options);
    this.orderNumber = orderNumber;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), orderNumber: this.orderNumber };
  }
}
