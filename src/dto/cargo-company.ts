import { z } from 'zod';
import { OmnitronId } from './common.js';

/** A cargo (shipping) company in Omnitron; marketplaces name it by `erpCode`. */
export const CargoCompany = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Display name. */
  name: z.string(),
  /** The code marketplaces name it by. */
  erpCode: z.string(),
  /** Omnitron's shipping integration for it, if any. */
  shippingCompany: z.string().nullable(),
});
/** A cargo (shipping) company in Omnitron. */
export type CargoCompany = z.infer<typeof CargoCompany>;
