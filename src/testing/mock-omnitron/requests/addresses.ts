import { z } from 'zod';
import type { OmnitronStore } from '../../omnitron-store.js';
import { json, nullableText, pk } from './shared.js';

/** What the store creates an address from, named through the store: nothing here imports the SDK's wire code. */
type AddressCreate = Parameters<OmnitronStore['createAddress']>[0];

/** `POST addresses/`: the reference's Address fields; `phone_number` is required. */
export const AddressCreateBody = z
  .strictObject({
    customer: pk,
    country: pk,
    city: pk,
    township: pk.nullable().optional(),
    district: pk.nullable().optional(),
    line: z.string().max(255),
    phone_number: z.string().max(128),
    first_name: z.string().max(255).optional(),
    last_name: z.string().max(255).optional(),
    email: z.string().max(254).optional(),
    title: z.string().max(128).optional(),
    postcode: z.string().max(64).optional(),
    notes: z.string().max(512).optional(),
    company_name: z.string().max(255).optional(),
    tax_office: z.string().max(64).optional(),
    tax_no: z.string().max(20).optional(),
    e_bill_taxpayer: z.boolean().optional(),
    address_type: z.enum(['customer', 'retail_store']).optional(),
    retail_store: pk.nullable().optional(),
    remote_id: nullableText.optional(),
    identity_number: z.string().max(64).nullable().optional(),
    extra_field: json.optional(),
    is_active: z.boolean().optional(),
  })
  .transform(
    (a): AddressCreate => ({
      customer: a.customer,
      location: {
        country: a.country,
        city: a.city,
        township: a.township ?? null,
        district: a.district ?? null,
      },
      ...(a.retail_store != null ? { retailStore: a.retail_store } : {}),
      address: {
        // The geography arrives as ids; the store's content hash covers what is on the wire.
        country: String(a.country),
        city: String(a.city),
        township: a.township == null ? undefined : String(a.township),
        district: a.district == null ? undefined : String(a.district),
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
        extraField: a.extra_field ?? {},
      },
    }),
  );
