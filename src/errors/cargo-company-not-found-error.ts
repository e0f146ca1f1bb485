import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

/**
 * Options of {@link CargoCompanyNotFoundError}: which order line named the company, and whether the company
 * exists but has no shipping company an order line can name.
 *
 * @group Errors
 */
export interface CargoCompanyNotFoundOptions {
  /** The **marketplace** id of the order line whose own carrier it is; absent for the order's carrier. */
  line?: string;
  /**
   * The company exists, but without a `shipping_company`: Omnitron's order items name their carrier by it,
   * so a line cannot carry this company as its own.
   */
  withoutShippingCompany?: boolean;
}

/**
 * No Omnitron cargo company has the ERP code the marketplace order (or one of its lines) names, or the one
 * a line names has no shipping company to put on the line.
 *
 * @group Errors
 */
export class CargoCompanyNotFoundError extends ChannelAppError {
  static {
    brandClass(CargoCompanyNotFoundError, 'CargoCompanyNotFoundError');
  }

  /** The cargo company code from the marketplace. */
  readonly cargoCode: string;
  /** The marketplace id of the order line that named it, when it was a line's own carrier. */
  readonly line: string | undefined;

  constructor(cargoCode: string, options: CargoCompanyNotFoundOptions = {}) {
    const of = options.line === undefined ? '' : ` (the carrier of order line "${options.line}")`;
    super(
      'CARGO_COMPANY_NOT_FOUND',
      options.withoutShippingCompany
        ? `Cargo company "${cargoCode}"${of} has no shipping company in Omnitron, so the line cannot name it as its carrier: set the cargo company's shipping company in Omnitron`
        : `Cargo company not found: no Omnitron cargo company has erp_code "${cargoCode}"${of}`,
    );
    this.cargoCode = cargoCode;
    this.line = options.line;
  }

  override details(): Record<string, unknown> {
    return {
      ...super.details(),
      cargoCode: this.cargoCode,
      ...(this.line === undefined ? {} : { line: this.line }),
    };
  }
}
