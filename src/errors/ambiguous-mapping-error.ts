import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * One marketplace id is linked to several Omnitron objects where exactly one was expected.
 *
 * @group Errors
 */
export class AmbiguousMappingError extends ChannelAppError {
  static {
    brandClass(AmbiguousMappingError, 'AmbiguousMappingError');
  }

  /** The Omnitron model, such as `order` or `orderitem`. */
  readonly contentType: string;
  /** The marketplace id. */
  readonly remoteId: string;
  /** The Omnitron ids it is linked to. */
  readonly objectIds: number[];

  constructor(contentType: string, remoteId: string, objectIds: number[]) {
    super(
      'AMBIGUOUS_MAPPING',
      `Remote id "${remoteId}" is linked to ${objectIds.length} ${contentType} objects (${objectIds.join(', ')}); expected exactly one`,
    );
    this.contentType = contentType;
    this.remoteId = remoteId;
    this.objectIds = objectIds;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      contentType: this.contentType,
      remoteId: this.remoteId,
      objectIds: this.objectIds,
    };
  }
}
