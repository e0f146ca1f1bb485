import { z } from 'zod';
import type { ChannelCustomer, Customer, CustomerChanges } from '../../dto/customer.js';
import { optionalText, wireObject, withPk } from './common.js';

/**
 * A customer on the wire. Only the id is required: the SDK finds customers by email or phone (checked
 * against the value it asked for) and compares names to decide on an update, so a field left out reads as
 * empty rather than failing the answer.
 */
export const CustomerJson = withPk({
  email: optionalText,
  phone_number: optionalText,
  first_name: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? ''),
  last_name: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? ''),
  channel_code: optionalText,
  is_active: z.boolean().optional().default(true),
}).transform(
  (c): Customer => ({
    id: c.pk,
    email: c.email,
    phoneNumber: c.phone_number,
    firstName: c.first_name,
    lastName: c.last_name,
    channelCode: c.channel_code,
    isActive: c.is_active,
  }),
);

/** A customer as Omnitron's JSON. */
export function customerToJson(c: Customer, channelId: number) {
  return {
    pk: c.id,
    channel: channelId,
    email: c.email,
    phone_number: c.phoneNumber,
    first_name: c.firstName,
    last_name: c.lastName,
    channel_code: c.channelCode,
    is_active: c.isActive,
  };
}

/** The POST body that creates a customer. */
export function customerCreateToJson(c: ChannelCustomer, channelId: number) {
  return {
    channel: channelId,
    channel_code: c.channelCode ?? null,
    email: c.email ?? null,
    extra_field: c.extraField ?? {},
    first_name: c.firstName,
    is_active: true,
    last_name: c.lastName,
    phone_number: c.phoneNumber ?? null,
  };
}

/** The POST body parsed back (the mock server's side). */
export const CustomerCreateJson = z
  .object({
    channel_code: optionalText,
    email: optionalText,
    extra_field: wireObject,
    first_name: z.string(),
    last_name: z.string(),
    phone_number: optionalText,
  })
  .transform(
    (c): ChannelCustomer => ({
      email: c.email ?? undefined,
      phoneNumber: c.phone_number ?? undefined,
      firstName: c.first_name,
      lastName: c.last_name,
      channelCode: c.channel_code ?? undefined,
      extraField: c.extra_field,
    }),
  );

/** The PATCH body of customer changes. */
export function customerChangesToJson(changes: CustomerChanges) {
  const body: Record<string, unknown> = {};
  if (changes.email !== undefined) body.email = changes.email;
  if (changes.phoneNumber !== undefined) body.phone_number = changes.phoneNumber;
  if (changes.firstName !== undefined) body.first_name = changes.firstName;
  if (changes.lastName !== undefined) body.last_name = changes.lastName;
  return body;
}

/** The PATCH body parsed back (the mock server's side). */
export const CustomerChangesJson = z
  .object({
    email: z.string().optional(),
    phone_number: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
  })
  .transform((c): CustomerChanges => {
    const changes: CustomerChanges = {};
    if (c.email !== undefined) changes.email = c.email;
    if (c.phone_number !== undefined) changes.phoneNumber = c.phone_number;
    if (c.first_name !== undefined) changes.firstName = c.first_name;
    if (c.last_name !== undefined) changes.lastName = c.last_name;
    return changes;
  });
