import { brandClass } from './brand.js';
import { ChannelAppError } from './channel-app-error.js';

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
