import { z } from 'zod';
import type { CargoCompany } from '../../dto/cargo-company.js';
import { optionalText, withPk } from './common.js';

/** A cargo company on the wire. */
export const CargoCompanyJson = withPk({
  name: z.string(),
  erp_code: z.string(),
  shipping_company: optionalText,
}).transform(
  (c): CargoCompany => ({ id: c.pk, name: c.name, erpCode: c.erp_code, shippingCompany: c.shipping_company }),
);

/** A cargo company as Omnitron's JSON. */
export function cargoCompanyToJson(c: CargoCompany) {
  return { pk: c.id, name: c.name, erp_code: c.erpCode, shipping_company: c.shippingCompany };
}
