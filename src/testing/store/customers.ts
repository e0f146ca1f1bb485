import {
  type ChannelCustomer,
  type Customer,
  type CustomerChanges,
  type CustomerIdentifierField,
  customerChanges,
  customerIdentifier,
} from '../../dto/customer.js';
import { OmnitronNotFoundError } from '../../errors/omnitron-errors.js';
import type { StoreState } from './state.js';

/** Customers, indexed by email and phone number (ignoring case). */
export class CustomerStore {
  readonly #state: StoreState;
  readonly #byKey = new Map<string, Set<number>>();

  constructor(state: StoreState) {
    this.#state = state;
  }

  /** Finds the customer by the identifier field and applies the marketplace's changes, or creates it. */
  getOrCreate(input: ChannelCustomer, field: CustomerIdentifierField): Customer {
    const value = customerIdentifier(input, field);
    const [existing] = this.find(field === 'email' ? { email: value } : { phoneNumber: value });
    return existing ? this.update(existing.id, customerChanges(existing, input)) : this.create(input);
  }

  /** Customers whose email or phone number equals the given one, ignoring case. */
  find(filter: { email?: string; phoneNumber?: string }): Customer[] {
    const keys = [
      ...(filter.email === undefined ? [] : [`email:${filter.email.toLowerCase()}`]),
      ...(filter.phoneNumber === undefined ? [] : [`phone:${filter.phoneNumber.toLowerCase()}`]),
    ];
    if (keys.length === 0) return [...this.#state.customers.values()];
    const [first, ...rest] = keys.map((key) => this.#byKey.get(key) ?? new Set<number>());
    return [...(first ?? [])]
      .filter((id) => rest.every((set) => set.has(id)))
      .flatMap((id) => this.#state.customers.get(id) ?? []);
  }

  /** Changes a customer. */
  update(id: number, changes: CustomerChanges): Customer {
    const customer = this.#state.customers.get(id);
    if (!customer) throw new OmnitronNotFoundError(`Customer ${id} not found`);
    this.#index(customer, false);
    Object.assign(customer, changes);
    this.#index(customer, true);
    return customer;
  }

  /** Creates a customer. */
  create(input: ChannelCustomer): Customer {
    const customer: Customer = {
      id: this.#state.nextId(),
      email: input.email ?? null,
      phoneNumber: input.phoneNumber ?? null,
      firstName: input.firstName,
      lastName: input.lastName,
      channelCode: input.channelCode ?? null,
      isActive: true,
    };
    this.#state.customers.set(customer.id, customer);
    this.#index(customer, true);
    return customer;
  }

  #index(customer: Customer, add: boolean): void {
    const keys = [
      ...(customer.email ? [`email:${customer.email.toLowerCase()}`] : []),
      ...(customer.phoneNumber ? [`phone:${customer.phoneNumber.toLowerCase()}`] : []),
    ];
    for (const key of keys) {
      const set = this.#byKey.get(key) ?? new Set<number>();
      if (add) set.add(customer.id);
      else set.delete(customer.id);
      this.#byKey.set(key, set);
    }
  }
}
