import { z } from 'zod';
import type { Address } from '../../dto/address.js';
import { MappingNotFoundError } from '../../errors/mapping-not-found-error.js';
import { OmnitronValidationError } from '../../errors/omnitron-validation-error.js';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import { createBehindLookup } from '../create-behind-lookup.js';
import { type AddressCreate, addressAnswerJson } from '../wire/address.js';
import { all, type RestContext } from './context.js';

/**
 * Creates an address from its POST body, or finds the copy Omnitron already keeps: Omnitron keeps one copy
 * of an address and names the existing one's hash when asked for another. `sent` fills what the answer
 * leaves out.
 */
export function createAddress(
  ctx: RestContext,
  sent: AddressCreate,
  body: unknown,
  options: CreateOptions = {},
): Promise<Address> {
  const AddressJson = addressAnswerJson(sent);
  const create = async () => {
    try {
      return await ctx.http.request('POST', ctx.channelPath('addresses/'), {
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
  // A repeated POST cannot duplicate an address (see above), so it needs no look-up first. One answered
  // 2xx is not sent again even so: the next run finds it by its hash.
  return createBehindLookup(create, null, ctx.creates('address', options));
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
