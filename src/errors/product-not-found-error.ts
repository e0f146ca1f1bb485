import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * Order lines name marketplace products that no Omnitron product is mapped to.
 *
 * @group Errors
 */
export class ProductNotFoundError extends ChannelAppError {
  static {
    brandClass(ProductNotFoundError, 'ProductNotFoundError');
  }

  /** The marketplace product ids with no mapping. */
  readonly remoteIds: string[];

  constructor(remoteIds: string[]) {
    super(
      'PRODUCT_NOT_FOUND',
      `Product not found: no Omnitron product is mapped to remote id ${remoteIds.map((id) => `"${id}"`).join(', ')}`,
    );
    this.remoteIds = remoteIds;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), remoteIds: this.remoteIds };
  }
}
