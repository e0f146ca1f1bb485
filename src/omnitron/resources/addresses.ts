import { z } from 'zod';
import type { Address } from '../../dto/address.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import { OmnitronValidationError } from '../../errors/omnitron-errors.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { FilterIgnored } from '../undocumented-filters.js';
import { type AddressCreate, addressAnswerJson } from '../wire/address.js';
import { all, type RestContext } from './context.js';

/**
 * The customer's address with this content, or a new one: looked up by customer first (see
 * {@link findAddress}), then created from its POST body. Omnitron keeps one copy of an address and names
 * the existing one's hash when asked for another, so a POST of a known address finds it too. `sent` fills
 * what the answer leaves out.
 */
export async function createAddress(
  ctx: RestContext,
  sent: AddressCreate,
  body: unknown,
  options: CreateOptions = {},
): Promise<Address> {
  const AddressJson = addressAnswerJson(sent);
  const create = async () => {
    try {
      return await ctx.http.request('POST', ctx.hooks.channelPath('addresses/'), {
        json: body,
        schema: AddressJson,
      });
    } catch (error) {
      const hash = error instanceof OmnitronValidationError ? existingAddressHash(error) : undefined;
      if (!hash) throw error;
      const [existing] = await all(ctx, 'addresses/', { hash_data: hash }, AddressJson);
      if (!existing) throw error;
      return existing;
    }
  };
  // Looked up first: a create an earlier attempt gave up on may have landed, and an address endpoint
  // slower than the timeout would otherwise time out on every try. A repeated POST cannot duplicate an
  // address (see above), so where the look-up is not available the POST alone is still safe.
  const find = () => findAddress(ctx, sent, body, AddressJson);
  return (await find()) ?? createBehindLookup(create, find, ctx.creates('address', options));
}

/** The filter of {@link findAddress}: neither API reference lists the address list or its filters. */
const BY_CUSTOMER = 'addresses/?customer';

/** Fields that must be in a listed address, and equal to what would be sent, for it to be the same one. */
const SAME_ADDRESS_FIELDS = ['line', 'city', 'country'] as const;

/**
 * The customer's address with the content a POST would send, or `null`. It uses `addresses/?customer=`,
 * which neither API reference documents: where Omnitron refuses, breaks on or ignores it, the look-up is
 * switched off (one warning) and `null` answers, so the address is POSTed as before, which Omnitron answers
 * with the existing copy's hash.
 */
async function findAddress(
  ctx: RestContext,
  sent: AddressCreate,
  body: unknown,
  AddressJson: ReturnType<typeof addressAnswerJson>,
): Promise<Address | null> {
  if (typeof body !== 'object' || body === null) return null;
  const wanted = body as Record<string, unknown>;
  return ctx.filters.use(
    BY_CUSTOMER,
    async () => {
      const listed = await all(ctx, 'addresses/', { customer: sent.customer }, ListedAddress);
      if (listed.some((a) => idOf(a.customer) !== sent.customer))
        throw new FilterIgnored("other customers' addresses");
      const same = listed.find((a) => sameAddress(a, wanted));
      return same ? AddressJson.parse(same) : null;
    },
    async () => null,
  );
}

/** An address as listed: read loosely, since it is compared field by field with what would be sent. */
const ListedAddress = z.looseObject({ customer: z.unknown() });

/** A primitive, or the id of a nested object (a detailed route nests `country` and the like). */
function idOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const nested = value as { pk?: unknown; id?: unknown };
  return nested.pk ?? nested.id;
}

/**
 * Whether a listed address has the content that would be sent: every plain field both have is equal, and
 * the line, city and country are among them.
 */
function sameAddress(listed: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  if (SAME_ADDRESS_FIELDS.some((field) => !(field in listed) || !(field in wanted))) return false;
  return Object.entries(wanted).every(([field, value]) => {
    if (!(field in listed) || (typeof value === 'object' && value !== null)) return true;
    return String(idOf(listed[field]) ?? '') === String(value ?? '');
  });
}

/** Omnitron id of the retail store with this ERP code (click-and-collect addresses). */
export async function retailStoreId(ctx: RestContext, erpCode: string): Promise<number> {
  const stores = await all(
    ctx,
    'retail_stores/',
    { erp_code: erpCode },
    z.object({ pk: z.number() }).or(z.object({ id: z.number() })),
  );
  const [store] = stores;
  if (stores.length !== 1 || !store) throw new MappingNotFoundError('retailstore', { remoteId: erpCode });
  return 'pk' in store ? store.pk : store.id;
}

/** The hash Omnitron names in its "address already exists" error (a string or a list of strings). */
function existingAddressHash(error: OmnitronValidationError): string | undefined {
  for (const message of error.fieldErrors.non_field_errors ?? []) {
    const match = /hash_data:([A-Za-z0-9]+)/.exec(message);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
