import { AddressStore } from './addresses.js';
import { BatchRequestStore } from './batch-requests.js';
import { CancellationRequestStore } from './cancellation-requests.js';
import { CargoStore } from './cargo.js';
import { CustomerStore } from './customers.js';
import { ErrorReportStore } from './error-reports.js';
import { GeographyStore } from './geography.js';
import { IntegrationActionStore } from './integration-actions.js';
import { OrderStore } from './orders.js';
import { ProductStore } from './products.js';
import type { StoreState } from './state.js';

/**
 * Every resource of one store, wired to one shared state. The wiring lives here, next to the resources,
 * because the order matters (products and batches write integration actions, addresses resolve geography,
 * orders and cancellation requests ask batches what an open batch holds) and the facade should not need to
 * know it.
 */
export class StoreResources {
  /** The ids, clock and records every resource shares. */
  readonly state: StoreState;
  /** Countries, cities, townships, districts, their mappings and retail stores. */
  readonly geography: GeographyStore;
  /** Cargo companies. */
  readonly cargo: CargoStore;
  /** Integration actions: the marketplace-id mapping of every object. */
  readonly actions: IntegrationActionStore;
  /** Products. */
  readonly products: ProductStore;
  /** Batch requests and their status machine. */
  readonly batches: BatchRequestStore;
  /** Customers. */
  readonly customers: CustomerStore;
  /** Addresses, one per content hash. */
  readonly addresses: AddressStore;
  /** Orders and their items. */
  readonly orders: OrderStore;
  /** Cancellation requests. */
  readonly requests: CancellationRequestStore;
  /** Sales Channel Logs rows and address-mapping reports. */
  readonly reports: ErrorReportStore;

  constructor(state: StoreState) {
    this.state = state;
    this.geography = new GeographyStore(state);
    this.cargo = new CargoStore(state);
    this.actions = new IntegrationActionStore(state);
    this.products = new ProductStore(state, this.actions);
    this.batches = new BatchRequestStore(state, this.actions);
    this.customers = new CustomerStore(state);
    this.addresses = new AddressStore(state, this.geography);
    this.orders = new OrderStore(state, this.batches);
    this.requests = new CancellationRequestStore(state, this.batches);
    this.reports = new ErrorReportStore(state);
  }
}
