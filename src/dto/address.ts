import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ChannelExtraField, OmnitronId } from './common.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/**
 * A postal address as the marketplace sends it, for an order's `shippingAddress` and `billingAddress`.
 * Country, city, township and district are names or codes; Omnitron resolves them by name, by code, or by
 * a mapping the merchant set up. Addresses are matched by content (see `addressHash`), never by
 * `remoteId`, so the same address on two orders is stored once.
 *
 * @group Data
 */
export const ChannelAddress = z.object({
  /** Given name of the addressee (at most 255 characters); the customer's when left out. */
  firstName: text(255).min(1).optional(),
  /** Family name of the addressee (at most 255 characters); the customer's when left out. */
  lastName: text(255).min(1).optional(),
  /** Contact email for delivery, such as `ayse@example.com`. */
  email: z.email().max(254).optional(),
  /** Contact phone for delivery, as the marketplace writes it, such as `+905321234567`. */
  phoneNumber: text(128).min(1).optional(),
  /** Country name or ISO 3166 code, such as `Türkiye` or `TR`. */
  country: text(128).min(1, 'must not be empty'),
  /** City (il) name or code, such as `İstanbul`. */
  city: text(128).min(1, 'must not be empty'),
  /** Township (ilçe) name, such as `Kadıköy`. */
  township: text(128).min(1).optional(),
  /** District (mahalle) name, such as `Moda`. */
  district: text(128).min(1).optional(),
  /** Street address: street, building, door number (at most 255 characters). */
  line: text(255).min(1, 'must not be empty'),
  /** Postal code, such as `34710`. */
  postcode: text(64).optional(),
  /** A label for the address, such as `Home`. */
  title: text(128).optional(),
  /** Delivery notes from the buyer. */
  notes: text(512).optional(),
  /** Company name, for invoices to a company. */
  companyName: text(255).optional(),
  /** Tax office, for invoices to a company. */
  taxOffice: text(64).optional(),
  /** Tax number, for invoices to a company (at most 20 characters). */
  taxNo: text(20).optional(),
  /** Whether the addressee receives e-invoices (e-Fatura). */
  eBillTaxpayer: z.boolean().optional(),
  /** National identity number (TCKN), where invoices need it. */
  identityNumber: text(64).optional(),
  /**
   * The **marketplace's** id of this address, if it has one. Stored on the Omnitron address for reference;
   * it is not used to find the address again.
   */
  remoteId: text(256).optional(),
  /** ERP code of an Omnitron retail store, for click-and-collect orders: the address becomes that store's. */
  retailStore: text(128).min(1).optional(),
  /** Anything else worth keeping: JSON data, kept as the Omnitron address's `extra_field`. */
  extraField: ChannelExtraField.optional(),
});
/**
 * A postal address as the marketplace sends it. Every field is as you yield it (no defaults apply), so this
 * type also serves as the input type of a mapping function.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelAddress = z.infer<typeof ChannelAddress>;

/**
 * An address in Omnitron, with its geography resolved to Omnitron ids.
 *
 * @group Data
 */
export const Address = z.object({
  /** **Omnitron's** id of the address. */
  id: OmnitronId,
  /** **Omnitron's** id of the customer it belongs to, or `null`. */
  customer: OmnitronId.nullable(),
  /** **Omnitron's** id of the country. */
  country: OmnitronId,
  /** **Omnitron's** id of the city. */
  city: OmnitronId,
  /** **Omnitron's** id of the township, or `null`. */
  township: OmnitronId.nullable(),
  /** **Omnitron's** id of the district, or `null`. */
  district: OmnitronId.nullable(),
  /** Street address. */
  line: z.string(),
  /** Omnitron's content hash of the address (see `addressHash`), or `null`. */
  hashData: z.string().nullable(),
});
/**
 * An address in Omnitron.
 *
 * @interface
 *
 * @group Data
 */
export type Address = z.infer<typeof Address>;

/**
 * A country, city, township or district in Omnitron.
 *
 * @group Data
 */
export const Location = z.object({
  /** **Omnitron's** id of the place. */
  id: OmnitronId,
  /** Name of the place, such as `İstanbul`. */
  name: z.string(),
  /** Its code, such as the ISO 3166 code `TR` of a country; `null` or absent when it has none. */
  code: z.string().nullable().optional(),
  /** Whether Omnitron offers it. */
  isActive: z.boolean(),
});
/**
 * A country, city, township or district in Omnitron.
 *
 * @interface
 *
 * @group Data
 */
export type Location = z.infer<typeof Location>;

/**
 * The geography of an address resolved to Omnitron ids.
 *
 * @group Data
 */
export interface ResolvedLocation {
  /** Omnitron id of the country. */
  country: number;
  /** Omnitron id of the city. */
  city: number;
  /** Omnitron id of the township, if any. */
  township: number | null;
  /** Omnitron id of the district, if any. */
  district: number | null;
}

/** A character outside ASCII. */
const NOT_ASCII = /[^\p{ASCII}]/u;

/**
 * `text.toLocaleLowerCase('tr')`, without asking ICU for the most common text. In ASCII, Turkish lower case
 * differs from the default only in `I`, which is `ı`; ICU's locale-aware path costs several microseconds a
 * call, and an import hashes about twenty fields per order.
 */
function turkishLowerCase(text: string): string {
  return NOT_ASCII.test(text) ? text.toLocaleLowerCase('tr') : text.replaceAll('I', 'ı').toLowerCase();
}

/**
 * A stable content hash of an address for one customer: two addresses with the same hash are the same
 * address, so it is stored once. Case and surrounding blanks do not count.
 *
 * @group Data
 */
export function addressHash(customerId: number, address: ChannelAddress): string {
  const norm = (v: string | undefined) => turkishLowerCase((v ?? '').trim());
  const parts = [
    customerId,
    norm(address.firstName),
    norm(address.lastName),
    norm(address.country),
    norm(address.city),
    norm(address.township),
    norm(address.district),
    norm(address.line),
    norm(address.postcode),
    norm(address.phoneNumber),
    norm(address.email),
    norm(address.companyName),
    norm(address.taxNo),
    norm(address.taxOffice),
    norm(address.identityNumber),
    norm(address.retailStore),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
