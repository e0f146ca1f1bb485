import { z } from 'zod';
import { InvalidPayloadError } from '../errors/invalid-payload-error.js';
import { ChannelExtraField, literalEnum, OmnitronId } from './common.js';

/** A customer as the marketplace describes it, on a channel order. */
export const ChannelCustomer = z
  .object({
    /** Email address; the default key Omnitron matches customers by. */
    email: z.email().max(254).optional(),
    /** Phone number; the match key when the channel's `CUSTOMER_IDENTIFIER_FIELD` is `phone_number`. */
    phoneNumber: z.string().trim().min(1).max(128).optional(),
    /** Given name. */
    firstName: z.string().trim().min(1).max(255),
    /** Family name. */
    lastName: z.string().trim().min(1).max(255),
    /** The marketplace's own customer id. */
    channelCode: z.string().trim().min(1).max(255).optional(),
    /** Anything else worth keeping. */
    extraField: ChannelExtraField.optional(),
  })
  .refine((c) => c.email !== undefined || c.phoneNumber !== undefined, {
    message: 'needs an email or a phone number to identify the customer',
    path: ['email'],
  });
/** A customer as the marketplace describes it, on a channel order. */
export type ChannelCustomer = z.infer<typeof ChannelCustomer>;

/** Which customer field identifies a customer on this channel (channel conf `CUSTOMER_IDENTIFIER_FIELD`). */
export const CustomerIdentifierField = literalEnum(['email', 'phone_number']);
/** Which customer field identifies a customer on this channel (channel conf `CUSTOMER_IDENTIFIER_FIELD`). */
export type CustomerIdentifierField = z.infer<typeof CustomerIdentifierField>;

/** A customer in Omnitron. */
export const Customer = z.object({
  /** Omnitron id. */
  id: OmnitronId,
  /** Email address. */
  email: z.string().nullable(),
  /** Phone number. */
  phoneNumber: z.string().nullable(),
  /** Given name. */
  firstName: z.string(),
  /** Family name. */
  lastName: z.string(),
  /** The marketplace's own customer id. */
  channelCode: z.string().nullable(),
  /** Whether the customer is active. */
  isActive: z.boolean(),
});
/** A customer in Omnitron. */
export type Customer = z.infer<typeof Customer>;

/** The fields of a customer that a marketplace may update. */
export type CustomerChanges = Partial<Pick<Customer, 'email' | 'phoneNumber' | 'firstName' | 'lastName'>>;

/**
 * What must change on a stored customer to match the marketplace's view of it. A field the marketplace did
 * not send is left alone: a missing phone number never wipes a stored one.
 */
export function customerChanges(existing: Customer, incoming: ChannelCustomer): CustomerChanges {
  const changes: CustomerChanges = {};
  if (incoming.email !== undefined && incoming.email !== existing.email) changes.email = incoming.email;
  if (incoming.phoneNumber !== undefined && incoming.phoneNumber !== existing.phoneNumber) {
    changes.phoneNumber = incoming.phoneNumber;
  }
  if (incoming.firstName !== existing.firstName) changes.firstName = incoming.firstName;
  if (incoming.lastName !== existing.lastName) changes.lastName = incoming.lastName;
  return changes;
}

/**
 * The value of the identifier field on a marketplace customer. A customer without it cannot be matched,
 * and creating it anyway would make a new customer on every order, so it is refused.
 */
export function customerIdentifier(customer: ChannelCustomer, field: CustomerIdentifierField): string {
  const value = field === 'email' ? customer.email : customer.phoneNumber;
  if (value === undefined) {
    throw new InvalidPayloadError('channel', 'channel customer', [
      {
        path: field === 'email' ? 'email' : 'phoneNumber',
        message: `is required: this channel identifies customers by ${field}`,
      },
    ]);
  }
  return value;
}
