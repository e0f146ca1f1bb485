import type { CargoCompany } from '../../dto/cargo-company.js';
import { CargoCompanyNotFoundError } from '../../errors/lookup-errors.js';
import type { StoreState } from './state.js';

/** Cargo companies. */
export class CargoStore {
  readonly #state: StoreState;

  constructor(state: StoreState) {
    this.#state = state;
  }

  /** Adds a cargo company; returns it. */
  add(input: { name: string; erpCode: string; shippingCompany?: string }): CargoCompany {
    const company = {
      id: this.#state.nextId(),
      name: input.name,
      erpCode: input.erpCode,
      shippingCompany: input.shippingCompany ?? null,
    };
    this.#state.cargoCompanies.set(company.id, company);
    return company;
  }

  /** The cargo company with this ERP code. */
  getByCode(code: string): CargoCompany {
    const company = [...this.#state.cargoCompanies.values()].find((c) => c.erpCode === code);
    if (!company) throw new CargoCompanyNotFoundError(code);
    return company;
  }

  /** Every cargo company. */
  list(): CargoCompany[] {
    return [...this.#state.cargoCompanies.values()];
  }
}
