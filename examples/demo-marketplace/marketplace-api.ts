/**
 * The JSON of the demo marketplace's API: what a team reads in its marketplace's API reference. The
 * adapter maps these shapes to the SDK's; nothing here is the SDK's.
 */

/** A page of a list. */
export interface Page<T> {
  items: T[];
  /** The next page number, or `null` on the last page. */
  nextPage: number | null;
}

/** An order as the marketplace returns it. */
export interface MarketOrder {
  id: string;
  orderNumber: string;
  createdAt: string;
  buyer: { email: string; firstName: string; lastName: string; phone?: string };
  delivery: MarketAddress;
  invoice?: MarketAddress;
  /** Totals in minor units (kuruş), as many marketplaces send them. */
  totals: { grandTotal: number; shipping: number };
  currency: string;
  carrier: string;
  lines: { lineId: string; sku: string; quantity: number; unitPrice: number; vatRate: number }[];
}

/** An address as the marketplace returns it. */
export interface MarketAddress {
  fullName: string;
  country: string;
  city: string;
  district?: string;
  neighbourhood?: string;
  street: string;
  zip?: string;
}

/** A cancellation made on the marketplace. */
export interface MarketCancellation {
  orderId: string;
  lineIds: string[];
  reasonCode: string;
}

/** A change to an order line (shipped, delivered, invoiced). */
export interface MarketLineUpdate {
  lineId: string;
  orderId: string;
  status: 'shipped' | 'delivered' | 'invoiced';
  trackingNumber?: string;
  invoiceNumber?: string;
  invoiceDate?: string;
}

/** A cancellation or return request a buyer opened (a "claim"). */
export interface MarketClaim {
  claimId: string;
  lineId: string;
  reasonCode: string;
  note: string;
  kind: 'cancel' | 'return';
}

/** One order status the channel app pushes. */
export interface MarketStatusUpdate {
  orderId: string;
  status: string;
}

/** The marketplace's answer per pushed order. */
export interface MarketStatusResult {
  orderId: string;
  accepted: boolean;
  error?: string;
}

/** The answer to a status push: results at once, or a job to poll. */
export type MarketStatusAnswer = { results: MarketStatusResult[] } | { jobId: string };

/** A status-push job. */
export type MarketJob = { state: 'processing' } | { state: 'completed'; results: MarketStatusResult[] };
