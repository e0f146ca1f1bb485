import type { ChannelOrder } from '../../dto/channel-order.js';
import { CargoCompanyNotFoundError } from '../../errors/lookup-errors.js';
import type { OmnitronIntegration } from '../../integrations/omnitron-integration.js';

/**
 * The carrier an order line names as its own (a package handed to another cargo company), as Omnitron's
 * order items name it: the `shippingCompany` of the cargo company whose `erpCode` is `code`, mapped like
 * the order's `cargoCompany`. An unknown code, or a company without a shipping company, is a
 * `CargoCompanyNotFoundError` naming the line.
 */
export async function lineCarrier(
  omnitron: OmnitronIntegration,
  code: string,
  line: string,
): Promise<string> {
  let shippingCompany: string | null;
  try {
    ({ shippingCompany } = await omnitron.getCargoCompanyByCode(code));
  } catch (error) {
    if (error instanceof CargoCompanyNotFoundError) throw new CargoCompanyNotFoundError(code, { line });
    throw error;
  }
  if (shippingCompany === null)
    throw new CargoCompanyNotFoundError(code, { line, withoutShippingCompany: true });
  return shippingCompany;
}

/** The carrier of each line of `order` that names its own, by the line's marketplace id. */
export async function lineCarriers(
  omnitron: OmnitronIntegration,
  order: ChannelOrder,
): Promise<Map<string, string>> {
  const carriers = new Map<string, string>();
  for (const item of order.items) {
    if (item.cargoCompany !== undefined)
      carriers.set(item.remoteId, await lineCarrier(omnitron, item.cargoCompany, item.remoteId));
  }
  return carriers;
}
