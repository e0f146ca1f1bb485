import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * What was looked up: a marketplace id, or an Omnitron id.
 *
 * @group Errors
 */
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
 *
 * @group Errors
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
    super('MAPPING_NOT_FOUND', describe(contentType, lookup));
    this.contentType = contentType;
    this.lookup = lookup;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), contentType: this.contentType, ...this.lookup };
  }
}

/** The message, with the likely cause: most often an id of the wrong kind, or an object never imported. */
function describe(contentType: string, lookup: MappingLookup): string {
  if (!('remoteId' in lookup))
    return (
      `Omnitron ${contentType} ${lookup.objectId} has no marketplace id (no integration action): it was not ` +
      'imported through this channel, or the batch request that imported it never reached done'
    );
  const head = `No ${contentType} in Omnitron is linked to the marketplace id "${lookup.remoteId}"`;
  const hint = HINTS[contentType] ?? 'it may not have been imported yet';
  return `${head}: ${hint}`;
}

const HINTS: Record<string, string> = {
  order:
    'name an order by the marketplace id it was imported under (ChannelOrder.remoteId), not by its order ' +
    'number; or it has not been imported yet',
  orderitem:
    "name an order line by its marketplace id (the line's remoteId in the imported ChannelOrder), not by an " +
    'Omnitron id or a product code; or its order has not been imported yet',
  cancellationrequest:
    'the request was not created through this channel, or its batch request never reached done',
};
