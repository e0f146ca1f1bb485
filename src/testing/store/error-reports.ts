import type { AddressErrorReport, ErrorReport } from '../../dto/error-report.js';
import type { StoreState } from './state.js';

/** Sales Channel Logs rows and address-mapping reports. */
export class ErrorReportStore {
  readonly #state: StoreState;

  constructor(state: StoreState) {
    this.#state = state;
  }

  /** Stores a Sales Channel Logs row. */
  create(report: ErrorReport): void {
    this.#state.errorReports.push({ ...structuredClone(report), id: this.#state.nextId() });
  }

  /** Stores an address-mapping report. */
  createAddressReport(report: AddressErrorReport): void {
    this.#state.addressErrorReports.push(structuredClone(report));
  }
}
