import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/** What was looked up: a marketplace id, or an Omnitron id. */
export type MappingLookup =
  | {
      /** The marketplace id. */
      remoteId: string;
    }
  | {
      /** The Omnitron id. */
      objectId: number;
    };

/**
 * No integration action links a marketplace id to an Omnitron object (or the reverse). Usually the order
 * was never imported, or its import batch never reached `done`.
 */
export class MappingNotFoundError extends ChannelAppError {
  static {
    brandClass(MappingNotFoundError, 'MappingNotFoundError');
  }

  /** The Omnitron model, such as `order` or `orderitem`. */
  readonly contentType: string;
  /** The id that was looked up. */
  readonly lookup: MappingLookup;

  constructor(contentType: string, lookup: MappingLookup) {
    const what = 'remoteId' in lookup ? `remote id "${lookup.remoteId}"` : `Omnitron id ${lookup.objectId}`;
    super('MAPPING_NOT_FOUND', `No ${contentType} in Omnitron is linked to ${what} (no integration action)`);
    this.contentType = contentType;
    this.lookup = lookup;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), contentType: this.contentType, ...this.lookup };
  }
}
