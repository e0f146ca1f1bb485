import { z } from 'zod';
import type { Address, ChannelAddress, Location, ResolvedLocation } from '../../dto/address.js';
import { optionalText, WirePk, wireObject, withPk } from './common.js';

/**
 * A country, city, township or district on the wire.
 *
 * @group Adapters
 */
export const LocationJson = withPk({
  name: z.string(),
  code: optionalText,
  is_active: z.boolean().optional().default(true),
}).transform((l): Location => ({ id: l.pk, name: l.name, code: l.code, isActive: l.is_active }));

/**
 * A location as Omnitron's JSON, with its parent ids.
 *
 * @group Adapters
 */
export function locationToJson(l: Location & { parents: Record<string, number> }) {
  return { pk: l.id, name: l.name, code: l.code ?? null, is_active: l.isActive, ...l.parents };
}

/**
 * An address on the wire.
 *
 * @group Adapters
 */
export const AddressJson = withPk({
  customer: WirePk.nullable().optional(),
  country: WirePk,
  city: WirePk,
  township: WirePk.nullable().optional(),
  district: WirePk.nullable().optional(),
  line: z.string(),
  hash_data: optionalText,
}).transform(
  (a): Address => ({
    id: a.pk,
    customer: a.customer ?? null,
    country: a.country,
    city: a.city,
    township: a.township ?? null,
    district: a.district ?? null,
    line: a.line,
    hashData: a.hash_data,
  }),
);

/**
 * An address answered for one the SDK sent (created, or found by its hash). The SDK uses only its id, so
 * only the id is required; fields Omnitron left out are filled from what was sent.
 *
 * @group Adapters
 */
export function addressAnswerJson(sent: AddressCreate) {
  return withPk({
    customer: WirePk.nullable().optional(),
    country: WirePk.optional(),
    city: WirePk.optional(),
    township: WirePk.nullable().optional(),
    district: WirePk.nullable().optional(),
    line: z.string().optional(),
    hash_data: optionalText,
  }).transform(
    (a): Address => ({
      id: a.pk,
      customer: a.customer === undefined ? sent.customer : a.customer,
      country: a.country ?? sent.location.country,
      city: a.city ?? sent.location.city,
      township: a.township === undefined ? sent.location.township : a.township,
      district: a.district === undefined ? sent.location.district : a.district,
      line: a.line ?? sent.address.line,
      hashData: a.hash_data,
    }),
  );
}

/**
 * An address as Omnitron's JSON.
 *
 * @group Adapters
 */
export function addressToJson(a: Address) {
  return {
    pk: a.id,
    customer: a.customer,
    country: a.country,
    city: a.city,
    township: a.township,
    district: a.district,
    line: a.line,
    hash_data: a.hashData,
  };
}

/**
 * What a new address needs: the marketplace's address, its owner, its resolved geography.
 *
 * @group Adapters
 */
export interface AddressCreate {
  /** Omnitron id of the customer it belongs to. */
  customer: number;
  /** Its geography, resolved to Omnitron ids. */
  location: ResolvedLocation;
  /** The address as the marketplace sent it. */
  address: ChannelAddress;
  /** Omnitron id of the retail store, for click-and-collect addresses. */
  retailStore?: number;
}

/**
 * The POST body that creates an address (fields cut to Omnitron's lengths by the DTO's validation).
 *
 * @group Adapters
 */
export function addressCreateToJson(
  input: AddressCreate,
  fallbackName: { firstName: string; lastName: string },
) {
  const a = input.address;
  return {
    city: input.location.city,
    company_name: a.companyName ?? '',
    country: input.location.country,
    customer: input.customer,
    district: input.location.district,
    e_bill_taxpayer: a.eBillTaxpayer ?? false,
    email: a.email ?? '',
    extra_field: a.extraField ?? {},
    first_name: a.firstName ?? fallbackName.firstName,
    identity_number: a.identityNumber ?? null,
    last_name: a.lastName ?? fallbackName.lastName,
    line: a.line,
    notes: a.notes ?? '',
    phone_number: a.phoneNumber ?? '',
    postcode: a.postcode ?? '',
    remote_id: a.remoteId ?? null,
    tax_no: a.taxNo ?? '',
    tax_office: a.taxOffice ?? '',
    title: a.title ?? '',
    township: input.location.township,
    ...(input.retailStore !== undefined
      ? { address_type: 'retail_store', retail_store: input.retailStore }
      : { address_type: 'customer' }),
  };
}

/**
 * The POST body parsed back (the mock server's side).
 *
 * @group Adapters
 */
export const AddressCreateJson = z
  .object({
    customer: WirePk,
    country: WirePk,
    city: WirePk,
    township: WirePk.nullable(),
    district: WirePk.nullable(),
    line: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
    phone_number: z.string(),
    postcode: z.string(),
    company_name: z.string(),
    tax_no: z.string(),
    tax_office: z.string(),
    identity_number: optionalText,
    extra_field: wireObject,
    retail_store: WirePk.optional(),
  })
  .transform(
    (a): AddressCreate => ({
      customer: a.customer,
      location: { country: a.country, city: a.city, township: a.township, district: a.district },
      retailStore: a.retail_store,
      address: {
        // Names of the geography are not on the wire; ids are. The hash covers what is.
        country: String(a.country),
        city: String(a.city),
        township: a.township === null ? undefined : String(a.township),
        district: a.district === null ? undefined : String(a.district),
        line: a.line,
        firstName: a.first_name || undefined,
        lastName: a.last_name || undefined,
        email: a.email || undefined,
        phoneNumber: a.phone_number || undefined,
        postcode: a.postcode || undefined,
        companyName: a.company_name || undefined,
        taxNo: a.tax_no || undefined,
        taxOffice: a.tax_office || undefined,
        identityNumber: a.identity_number ?? undefined,
        extraField: a.extra_field,
      },
    }),
  );
