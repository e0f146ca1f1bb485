import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

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
