import { z } from 'zod';
import { InvalidPayloadError } from '../errors/channel-errors.js';
import { ChannelExtraField, literalEnum, OmnitronId } from './common.js';

/**
 * A customer as the marketplace describes it, on a channel order. Omnitron matches the customer by email
 * or by phone number (the channel's `CUSTOMER_IDENTIFIER_FIELD`), so at least one of the two is required,
 * and the one the channel matches by must be there.
 *
 * @group Data
 */
export const ChannelCustomer = z
  .object({
    /** Email address, such as `ayse@example.com`; the key Omnitron matches customers by, by default. */
    email: z.email().max(254).optional(),
    /**
     * Phone number as the marketplace writes it, such as `+905321234567`; the match key when the channel's
     * `CUSTOMER_IDENTIFIER_FIELD` is `phone_number`.
     */
    phoneNumber: z.string().trim().min(1).max(128).optional(),
    /** Given name (at most 255 characters). */
    firstName: z.string().trim().min(1).max(255),
    /** Family name (at most 255 characters). */
    lastName: z.string().trim().min(1).max(255),
    /** The **marketplace** id of the customer, kept as the Omnitron customer's `channel_code`. */
    channelCode: z.string().trim().min(1).max(255).optional(),
    /** Anything else worth keeping: JSON data, kept as the Omnitron customer's `extra_field`. */
    extraField: ChannelExtraField.optional(),
  })
  .refine((c) => c.email !== undefined || c.phoneNumber !== undefined, {
    message: 'needs an email or a phone number to identify the customer',
    path: ['email'],
  });
/**
 * A customer as the marketplace describes it, on a channel order. Every field is as you yield it (no
 * defaults apply), so this type also serves as the input type of a mapping function.
 *
 * @interface
 *
 * @group Data
 */
export type ChannelCustomer = z.infer<typeof ChannelCustomer>;

/**
 * Which customer field identifies a customer on this channel (channel conf `CUSTOMER_IDENTIFIER_FIELD`).
 *
 * @group Data
 */
export const CustomerIdentifierField = literalEnum(['email', 'phone_number']);
/**
 * Which customer field identifies a customer on this channel (channel conf `CUSTOMER_IDENTIFIER_FIELD`).
 *
 * @group Data
 */
export type CustomerIdentifierField = z.infer<typeof CustomerIdentifierField>;

/**
 * A customer in Omnitron.
 *
 * @group Data
 */
export const Customer = z.object({
  /** **Omnitron's** id of the customer. */
  id: OmnitronId,
  /** Email address, or `null`. */
  email: z.string().nullable(),
  /** Phone number, or `null`. */
  phoneNumber: z.string().nullable(),
  /** Given name. */
  firstName: z.string(),
  /** Family name. */
  lastName: z.string(),
  /** The **marketplace** id of the customer (`channel_code`), or `null`. */
  channelCode: z.string().nullable(),
  /** Whether the customer is active. */
  isActive: z.boolean(),
});
/**
 * A customer in Omnitron.
 *
 * @interface
 *
 * @group Data
 */
export type Customer = z.infer<typeof Customer>;

/**
 * The fields of a customer that a marketplace may update.
 *
 * @group Data
 */
export type CustomerChanges = Partial<Pick<Customer, 'email' | 'phoneNumber' | 'firstName' | 'lastName'>>;

/**
 * What must change on a stored customer to match the marketplace's view of it. A field the marketplace did
 * not send is left alone: a missing phone number never wipes a stored one.
 *
 * @group Data
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
 *
 * @group Data
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
