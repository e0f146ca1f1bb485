import type { CargoCompany } from '../../dto/cargo-company.js';
import { CargoCompanyNotFoundError } from '../../errors/lookup-errors.js';
import { TtlCache } from '../ttl-cache.js';
import { CargoCompanyJson } from '../wire/cargo-company.js';
import { all, type RestContext } from './context.js';

/** Cargo companies: the list is read once per cache time to live, and again for a code it lacks. */
export class CargoCompanies {
  readonly #ctx: RestContext;
  readonly #cargo: TtlCache<CargoCompany[]>;

  constructor(ctx: RestContext, cacheTtl: number) {
    this.#ctx = ctx;
    this.#cargo = new TtlCache(cacheTtl);
  }

  /** The cargo company with this ERP code. */
  async byCode(code: string): Promise<CargoCompany> {
    const load = () => all(this.#ctx, 'cargos/', {}, CargoCompanyJson);
    const known = (await this.#cargo.remember('all', load)).find((c) => c.erpCode === code);
    if (known) return known;
    // A company added since the list was read is found by reading it again.
    this.#cargo.forget('all');
    const fresh = (await this.#cargo.remember('all', load)).find((c) => c.erpCode === code);
    if (!fresh) throw new CargoCompanyNotFoundError(code);
    return fresh;
  }
}
