import { z } from 'zod';
import type { ChannelCustomer, CustomerChanges } from '../../../dto/customer.js';
import { json, pk } from './shared.js';

/** `POST customers/`: `email`, `is_active` and `channel_code` are required (by the reference's PUT). */
export const CustomerCreateBody = z
  .strictObject({
    email: z.email().nullable(),
    is_active: z.boolean(),
    channel_code: z.string().max(64).nullable(),
    channel: pk.optional(),
    first_name: z.string().max(255),
    last_name: z.string().max(255),
    phone_number: z.string().max(128).nullable().optional(),
    erp_code: z.string().max(64).nullable().optional(),
    extra_field: json.optional(),
  })
  .transform(
    (c): ChannelCustomer => ({
      ...(c.email !== null ? { email: c.email } : {}),
      ...(c.phone_number ? { phoneNumber: c.phone_number } : {}),
      firstName: c.first_name,
      lastName: c.last_name,
      ...(c.channel_code !== null ? { channelCode: c.channel_code } : {}),
      extraField: c.extra_field ?? {},
    }),
  );

/** `PATCH customers/{pk}/`: a partial update of the customer's contact fields. */
export const CustomerPatchBody = z
  .strictObject({
    email: z.email().optional(),
    phone_number: z.string().max(128).nullable().optional(),
    first_name: z.string().max(255).optional(),
    last_name: z.string().max(255).optional(),
  })
  .transform((c): CustomerChanges => {
    const changes: CustomerChanges = {};
    if (c.email !== undefined) changes.email = c.email;
    if (c.phone_number != null) changes.phoneNumber = c.phone_number;
    if (c.first_name !== undefined) changes.firstName = c.first_name;
    if (c.last_name !== undefined) changes.lastName = c.last_name;
    return changes;
  });
