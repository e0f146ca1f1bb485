import { type Address, addressHash, type ChannelAddress } from '../../dto/address.js';
import type { Customer } from '../../dto/customer.js';
import { MappingNotFoundError } from '../../errors/lookup-errors.js';
import { OmnitronNotFoundError, OmnitronValidationError } from '../../errors/omnitron-errors.js';
import type { AddressCreate } from '../../omnitron/wire/address.js';
import type { GeographyStore } from './geography.js';
import type { StoreState } from './state.js';

/** Addresses, one copy per content hash, as Omnitron keeps them. */
export class AddressStore {
  readonly #state: StoreState;
  readonly #geography: GeographyStore;
  readonly #byHash = new Map<string, number>();

  constructor(state: StoreState, geography: GeographyStore) {
    this.#state = state;
    this.#geography = geography;
  }

  /**
   * Creates an address with resolved ids. Like Omnitron, it keeps one copy per content hash and refuses a
   * second one, naming the existing one's hash.
   */
  create(input: AddressCreate): Address {
    for (const [kind, id] of Object.entries(input.location) as [string, number | null][]) {
      if (id !== null && !this.#state.locations.has(id))
        throw new OmnitronValidationError(`Unknown ${kind} ${id}`, {
          fieldErrors: { [kind]: ['Invalid pk'] },
        });
    }
    if (!this.#state.customers.has(input.customer))
      throw new OmnitronValidationError(`Unknown customer ${input.customer}`, {
        fieldErrors: { customer: ['Invalid pk'] },
      });
    const hashData = addressHash(input.customer, input.address);
    if (this.findByHash(hashData).length > 0) {
      throw new OmnitronValidationError('Address exists', {
        fieldErrors: { non_field_errors: [`hash_data:${hashData} address already exists`] },
      });
    }
    return this.#store(
      {
        id: this.#state.nextId(),
        customer: input.customer,
        ...input.location,
        line: input.address.line,
        hashData,
      },
      hashData,
    );
  }

  /** Addresses with this content hash. */
  findByHash(hash: string): Address[] {
    const id = this.#byHash.get(hash);
    const address = id === undefined ? undefined : this.#state.addresses.get(id);
    return address ? [address] : [];
  }

  /** Addresses of one customer. */
  ofCustomer(customer: number): Address[] {
    return [...this.#state.addresses.values()].filter((a) => a.customer === customer);
  }

  /** The customer's address with the same content, or a new one. */
  getOrCreate(customer: Customer, input: ChannelAddress): Address {
    if (!this.#state.customers.has(customer.id))
      throw new OmnitronNotFoundError(`Customer ${customer.id} not found`);
    const location = this.#geography.resolveLocation(input);
    if (input.retailStore !== undefined && !this.#state.retailStores.has(input.retailStore)) {
      throw new MappingNotFoundError('retailstore', { remoteId: input.retailStore });
    }
    const hashData = addressHash(customer.id, input);
    const [existing] = this.findByHash(hashData);
    if (existing) return existing;
    return this.#store(
      {
        id: this.#state.nextId(),
        customer: customer.id,
        ...location,
        line: input.line,
        hashData,
      },
      hashData,
    );
  }

  #store(address: Address, hashData: string): Address {
    this.#state.addresses.set(address.id, address);
    this.#byHash.set(hashData, address.id);
    return address;
  }
}
