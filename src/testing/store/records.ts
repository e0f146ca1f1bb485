// The shapes of the store's records that are not Omnitron DTOs. They live apart from the resources that
// keep them so that the shared state (./state.ts) and the resources do not import each other.

import type { OrderCancelRequest } from '../../dto/cancellation.js';
import type { ErrorReport } from '../../dto/error-report.js';
import type { LocationKind } from '../../errors/lookup-errors.js';

/** An error report as stored, with its id. */
export type StoredErrorReport = ErrorReport & {
  /** Its id in the store. */
  id: number;
};

/** A country, city, township or district, with the id of the level above it. */
export interface LocationRecord {
  /** Omnitron id. */
  id: number;
  /** The level. */
  kind: LocationKind;
  /** Name. */
  name: string;
  /** ISO code, for countries. */
  code: string | null;
  /** Whether Omnitron offers it. */
  isActive: boolean;
  /** Country of a city, city of a township, township of a district; `null` for a country. */
  parent: number | null;
}

/** A cancel Omnitron carried out, for assertions. */
export interface CancellationRecord {
  /** The order. */
  orderId: number;
  /** What was cancelled. */
  request: OrderCancelRequest;
  /** When. */
  at: string;
}

/** A product in Omnitron's catalog. */
export interface ProductRecord {
  /** Omnitron id. */
  id: number;
  /** Stock keeping unit. */
  sku: string;
  /** Name. */
  name: string;
}
