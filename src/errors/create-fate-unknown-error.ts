import { brandClass } from './brand.js';
import { OmnitronError, type OmnitronErrorOptions } from './omnitron-error.js';

/**
 * A create whose fate is unknown (its answer was lost, it timed out, Omnitron answered 5xx) and that a
 * look-up did not find yet. Omnitron may still be working on it, so it must not be sent again before
 * {@link CreateFateUnknownError.settleUntil}; only a caller that asked to be told (`deferUnknown`) gets
 * this error. The order import parks the order and looks it up again then, while the rest of the run
 * goes on; an order still unresolved after that fails with the original cause.
 *
 * @group Errors
 */
export class CreateFateUnknownError extends OmnitronError {
  static {
    brandClass(CreateFateUnknownError, 'CreateFateUnknownError');
  }

  /** What was created, such as `customer` or `order 1001`. */
  readonly what: string;
  /** When (epoch ms) Omnitron should have finished the create if it is ever going to. */
  readonly settleUntil: number;

  constructor(what: string, settleUntil: number, options: OmnitronErrorOptions = {}) {
    super(
      `The ${what} may or may not have been created (its answer was lost); it is looked up again before it ` +
        'is ever sent again',
      { ...options, code: 'CREATE_FATE_UNKNOWN', retriable: true },
    );
    this.what = what;
    this.settleUntil = settleUntil;
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), what: this.what, settleUntil: new Date(this.settleUntil).toISOString() };
  }
}
