import type { Address } from '../../dto/address.js';
import type { BatchRequest } from '../../dto/batch-request.js';
import type { CancellationRequest } from '../../dto/cancellation.js';
import type { CargoCompany } from '../../dto/cargo-company.js';
import type { Customer } from '../../dto/customer.js';
import type { AddressErrorReport } from '../../dto/error-report.js';
import type { IntegrationAction } from '../../dto/integration-action.js';
import type { Order, OrderItem } from '../../dto/order.js';
import type { CancellationRecord, LocationRecord, ProductRecord, StoredErrorReport } from './records.js';

/**
 * What every resource of the store shares: the channel id, one id sequence, one clock, and the records
 * themselves (the `OmnitronStore` facade exposes these very maps and lists for reading). Each resource keeps
 * its own indexes.
 */
export class StoreState {
  /** Countries, cities, townships and districts by id. */
  readonly locations = new Map<number, LocationRecord>();
  /** Location id per `<kind>:<channelId>_<value>` mapping code. */
  readonly locationMappings = new Map<string, number>();
  /** Retail store ids by ERP code. */
  readonly retailStores = new Map<string, number>();
  /** Cargo companies by id. */
  readonly cargoCompanies = new Map<number, CargoCompany>();
  /** Products by id. */
  readonly products = new Map<number, ProductRecord>();
  /** Customers by id. */
  readonly customers = new Map<number, Customer>();
  /** Addresses by id. */
  readonly addresses = new Map<number, Address>();
  /** Orders by id. */
  readonly orders = new Map<number, Order>();
  /** Order items by id. */
  readonly orderItems = new Map<number, OrderItem>();
  /** Integration actions by id. */
  readonly integrationActions = new Map<number, IntegrationAction>();
  /** Batch requests by id. */
  readonly batchRequests = new Map<number, BatchRequest>();
  /** Cancellation requests by id. */
  readonly cancellationRequests = new Map<number, CancellationRequest>();
  /** Sales Channel Logs rows, in the order they were written. */
  readonly errorReports: StoredErrorReport[] = [];
  /** Address-mapping reports, in the order they were written. */
  readonly addressErrorReports: AddressErrorReport[] = [];
  /** Cancels carried out, in order. */
  readonly cancellations: CancellationRecord[] = [];
  readonly #clock: () => Date;
  #lastTime = 0;
  #nextId = 1;

  constructor(
    /** Omnitron id of the channel. */
    readonly channelId: number,
    clock: () => Date,
  ) {
    this.#clock = clock;
  }

  /** The current time as an ISO string, strictly later than the previous one, so versions always order. */
  now(): string {
    const time = Math.max(this.#clock().getTime(), this.#lastTime + 1);
    this.#lastTime = time;
    return new Date(time).toISOString();
  }

  /** The next id: one sequence for every resource, as in the store before it was split. */
  nextId(): number {
    return this.#nextId++;
  }
}
