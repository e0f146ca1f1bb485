import { z } from 'zod';
import { OmnitronId } from './common.js';

/**
 * A cargo (shipping) company in Omnitron; marketplaces name it by `erpCode`.
 *
 * @group Data
 */
export const CargoCompany = z.object({
  /** **Omnitron's** id of the cargo company. */
  id: OmnitronId,
  /** Display name, such as `Yurtiçi Kargo`. */
  name: z.string(),
  /** The code a channel order's `cargoCompany` names it by, such as `yurtici`. */
  erpCode: z.string(),
  /** Omnitron's shipping integration for it, such as `yurtici`, or `null`. */
  shippingCompany: z.string().nullable(),
});
/**
 * A cargo (shipping) company in Omnitron.
 *
 * @interface
 *
 * @group Data
 */
export type CargoCompany = z.infer<typeof CargoCompany>;
