// Errors of a look-up that found nothing or too much: mappings, cargo companies, products, reasons,
// locations. What the merchant fixes in Omnitron (or the adapter in its data) before a retry succeeds.
import { brandClass } from '../foundation/brand.js';
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

/**
 * No Omnitron cargo company has the ERP code the marketplace order names.
 *
 * @group Errors
 */
export class CargoCompanyNotFoundError extends ChannelAppError {
  static {
    brandClass(CargoCompanyNotFoundError, 'CargoCompanyNotFoundError');
  }

  /** The cargo company code from the marketplace. */
  readonly cargoCode: string;

  constructor(cargoCode: string) {
    super(
      'CARGO_COMPANY_NOT_FOUND',
      `Cargo company not found: no Omnitron cargo company has erp_code "${cargoCode}"`,
    );
    this.cargoCode = cargoCode;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), cargoCode: this.cargoCode };
  }
}

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

/**
 * A cancellation reason has no counterpart: the channel's `reason_mapping` configuration lacks the
 * marketplace reason code (and no `cancellation_reason_id` fallback is set), or, going the other way, no
 * marketplace code maps to the Omnitron reason.
 *
 * @group Errors
 */
export class ReasonNotMappedError extends ChannelAppError {
  static {
    brandClass(ReasonNotMappedError, 'ReasonNotMappedError');
  }

  /** The reason that could not be mapped: a marketplace code, or an Omnitron reason id. */
  readonly reason: string;
  /** `toOmnitron` for a marketplace code, `toChannel` for an Omnitron reason id. */
  readonly direction: 'toOmnitron' | 'toChannel';

  constructor(reason: string, direction: 'toOmnitron' | 'toChannel') {
    const message =
      direction === 'toOmnitron'
        ? `Cancellation reason "${reason}" is not in the channel's reason_mapping and no cancellation_reason_id is configured`
        : `No marketplace reason in the channel's reason_mapping maps to Omnitron reason ${reason}`;
    super('REASON_NOT_MAPPED', message);
    this.reason = reason;
    this.direction = direction;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), reason: this.reason, direction: this.direction };
  }
}

/**
 * The levels of Omnitron's address geography.
 *
 * @group Errors
 */
export type LocationKind = 'country' | 'city' | 'township' | 'district';

/**
 * What Omnitron needs to show an unmapped location in its address-mapping screen.
 *
 * @group Errors
 */
export interface LocationContext {
  /** Omnitron id of the country the lookup was made in. */
  countryId?: number;
  /** Omnitron id of the city the lookup was made in. */
  cityId?: number;
  /** Omnitron id of the township the lookup was made in. */
  townshipId?: number;
}

/**
 * A country, city, township or district from the marketplace matches nothing in Omnitron, by name, by code,
 * or by a mapping the merchant set up. The merchant fixes it by adding a mapping for
 * {@link UnknownLocationError.remoteCode}.
 *
 * @group Errors
 */
export class UnknownLocationError extends ChannelAppError {
  static {
    brandClass(UnknownLocationError, 'UnknownLocationError');
  }

  /** Which level of the address could not be resolved. */
  readonly kind: LocationKind;
  /** The value the marketplace sent. */
  readonly value: string;
  /** The mapping code Omnitron looks up: `<channelId>_<value>`. */
  readonly remoteCode: string;
  /** Parent locations resolved before this one. */
  readonly context: LocationContext;

  constructor(kind: LocationKind, value: string, remoteCode: string, context: LocationContext = {}) {
    super(
      'UNKNOWN_LOCATION',
      `Unknown ${kind} "${value}": no ${kind} in Omnitron matches it by name, code or mapping ${remoteCode}`,
    );
    this.kind = kind;
    this.value = value;
    this.remoteCode = remoteCode;
    this.context = context;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      kind: this.kind,
      value: this.value,
      remoteCode: this.remoteCode,
      ...this.context,
    };
  }
}
