import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ExtraField, OmnitronId } from './common.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/**
 * A postal address as the marketplace sends it. Country, city, township and district are names or codes;
 * Omnitron resolves them by name, by code, or by a mapping the merchant set up.
 */
export const ChannelAddress = z.object({
  firstName: text(255).min(1).optional(),
  lastName: text(255).min(1).optional(),
  email: z.email().max(254).optional(),
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
  postcode: text(64).optional(),
  title: text(128).optional(),
  notes: text(512).optional(),
  companyName: text(255).optional(),
  taxOffice: text(64).optional(),
  taxNo: text(20).optional(),
  eBillTaxpayer: z.boolean().optional(),
  identityNumber: text(64).optional(),
  /** The marketplace's own id of this address. */
  remoteId: text(256).optional(),
  /** ERP code of a retail store, for click-and-collect orders. */
  retailStore: text(128).min(1).optional(),
  extraField: ExtraField.optional(),
});
/** A postal address as the marketplace sends it. */
export type ChannelAddress = z.infer<typeof ChannelAddress>;

/** An address in Omnitron, with its geography resolved to ids. */
export const Address = z.object({
  id: OmnitronId,
  customer: OmnitronId.nullable(),
  country: OmnitronId,
  city: OmnitronId,
  township: OmnitronId.nullable(),
  district: OmnitronId.nullable(),
  line: z.string(),
  hashData: z.string().nullable(),
});
/** An address in Omnitron. */
export type Address = z.infer<typeof Address>;

/** A country, city, township or district in Omnitron. */
export const Location = z.object({
  id: OmnitronId,
  name: z.string(),
  /** ISO code, for countries. */
  code: z.string().nullable().optional(),
  isActive: z.boolean(),
});
/** A country, city, township or district in Omnitron. */
export type Location = z.infer<typeof Location>;

/** The geography of an address resolved to Omnitron ids. */
export interface ResolvedLocation {
  country: number;
  city: number;
  township: number | null;
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
