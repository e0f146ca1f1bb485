import { z } from 'zod';
import { OmnitronId } from './common.js';

/** A cargo (shipping) company in Omnitron; marketplaces name it by `erpCode`. */
export const CargoCompany = z.object({
  id: OmnitronId,
  name: z.string(),
  erpCode: z.string(),
  shippingCompany: z.string().nullable(),
});
/** A cargo (shipping) company in Omnitron. */
export type CargoCompany = z.infer<typeof CargoCompany>;
