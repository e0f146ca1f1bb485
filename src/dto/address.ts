import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ChannelExtraField, OmnitronId } from './common.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/**
 * A postal address as the marketplace sends it. Country, city, township and district are names or codes;
 * Omnitron resolves them by name, by code, or by a mapping the merchant set up.
 */
export const ChannelAddress = z.object({
  /** Given name of the addressee; defaults to the customer's. */
  firstName: text(255).min(1).optional(),
  /** Family name of the addressee; defaults to the customer's. */
  lastName: text(255).min(1).optional(),
  /** Contact email for delivery. */
  email: z.email().max(254).optional(),
  /** Contact phone for delivery. */
  phoneNumber: text(128).min(1).optional(),
  /** Country name or ISO code, such as `Türkiye` or `TR`. */
  country: text(128).min(1, 'must not be empty'),
  /** City name. */
  city: text(128).min(1, 'must not be empty'),
  /** Township (ilçe) name. */
  township: text(128).min(1).optional(),
  /** District (mahalle) name. */
  district: text(128).min(1).optional(),
  /** Street address. */
  line: text(255).min(1, 'must not be empty'),
  /** Postal code. */
  postcode: text(64).optional(),
  /** A label for the address, such as "Home". */
  title: text(128).optional(),
  /** Delivery notes. */
  notes: text(512).optional(),
  /** Company name, for invoices to a company. */
  companyName: text(255).optional(),
  /** Tax office, for invoices to a company. */
  taxOffice: text(64).optional(),
  /** Tax number, for invoices to a company. */
  taxNo: text(20).optional(),
  /** Whether the addressee receives e-invoices. */
  eBillTaxpayer: z.boolean().optional(),
  /** National identity number, where invoices need it. */
  identityNumber: text(64).optional(),
  /** The marketplace's own id of this address. */
  remoteId: text(256).optional(),
  /** ERP code of a retail store, for click-and-collect orders. */
  retailStore: text(128).min(1).optional(),
  /** Anything else worth keeping. */
  extraField: ChannelExtraField.optional(),
});
/** A postal address as the marketplace sends it. */
export type ChannelAddress = z.infer<typeof ChannelAddress>;

/** An address in Omnitron, with its geography resolved to ids. */
export const Address = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Omnitron id of the customer it belongs to. */
  customer: OmnitronId.nullable(),
  /** Omnitron id of the country. */
  country: OmnitronId,
  /** Omnitron id of the city. */
  city: OmnitronId,
  /** Omnitron id of the township, if any. */
  township: OmnitronId.nullable(),
  /** Omnitron id of the district, if any. */
  district: OmnitronId.nullable(),
  /** Street address. */
  line: z.string(),
  /** Omnitron's content hash of the address. */
  hashData: z.string().nullable(),
});
/** An address in Omnitron. */
export type Address = z.infer<typeof Address>;

/** A country, city, township or district in Omnitron. */
export const Location = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Name of the place. */
  name: z.string(),
  /** ISO code, for countries. */
  code: z.string().nullable().optional(),
  /** Whether Omnitron offers it. */
  isActive: z.boolean(),
});
/** A country, city, township or district in Omnitron. */
export type Location = z.infer<typeof Location>;

/** The geography of an address resolved to Omnitron ids. */
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

/**
 * A stable content hash of an address for one customer: two addresses with the same hash are the same
 * address, so it is stored once. Case and surrounding blanks do not count.
 */
export function addressHash(customerId: number, address: ChannelAddress): string {
  const norm = (v: string | undefined) => (v ?? '').trim().toLocaleLowerCase('tr');
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
