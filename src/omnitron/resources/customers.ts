import {
  type ChannelCustomer,
  type Customer,
  type CustomerIdentifierField,
  customerChanges,
  customerIdentifier,
} from '../../dto/customer.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { CustomerJson, customerChangesToJson, customerCreateToJson } from '../wire/customer.js';
import { all, type RestContext } from './context.js';

/**
 * The default match: the first customer whose identifier (email or phone number) equals the incoming
 * one's, ignoring case. A server that ignored the look-up's filter answers with other customers too.
 */
export function matchByIdentifier(
  found: readonly Customer[],
  incoming: ChannelCustomer,
  identifierField: CustomerIdentifierField,
): Customer | null {
  const value = customerIdentifier(incoming, identifierField).toLowerCase();
  const key = identifierField === 'email' ? 'email' : 'phoneNumber';
  return found.find((c) => c[key]?.toLowerCase() === value) ?? null;
}

/**
 * Finds the customer by the identifier field (`customers/?<field>=<value>`, chosen among the answers by
 * the adapter's `matchCustomer` hook) and sends the marketplace's changes, or creates it. A create whose
 * fate is unknown is looked up the same way before it is sent again.
 */
export async function getOrCreateCustomer(
  ctx: RestContext,
  customer: ChannelCustomer,
  identifierField: CustomerIdentifierField,
  options: CreateOptions = {},
): Promise<Customer> {
  const value = customerIdentifier(customer, identifierField);
  const find = async () => {
    const found = await all(
      ctx,
      'customers/',
      { [identifierField]: value, channel: ctx.channelId },
      CustomerJson,
    );
    return ctx.hooks.matchCustomer(found, customer, identifierField);
  };
  const existing = await find();
  if (existing) {
    const changes = customerChanges(existing, customer);
    if (Object.keys(changes).length === 0) return existing;
    return ctx.http.request('PATCH', ctx.hooks.channelPath(`customers/${existing.id}/`), {
      json: customerChangesToJson(changes),
      schema: CustomerJson,
    });
  }
  return createBehindLookup(
    () =>
      ctx.http.request('POST', ctx.hooks.channelPath('customers/'), {
        json: customerCreateToJson(customer, ctx.channelId),
        schema: CustomerJson,
      }),
    find,
    ctx.creates('customer', options),
  );
}
