/**
 * Bazaar Market's API as the adapter sees it: its JSON shapes and one method per endpoint. A real
 * deployment implements {@link BazaarApi} over HTTP; the tests use the in-memory
 * `FakeBazaarApi` from `fake-bazaar-api.ts`. Money is in kuruş (integer minor units), lines carry
 * their own status, and every list is paged by an opaque cursor.
 */

/** A postal address as Bazaar sends it. */
export interface BazaarAddress {
  /** Given name of the addressee. */
  firstName: string;
  /** Family name of the addressee. */
  lastName: string;
  /** Contact phone, such as `+905321234567`. */
  phone?: string;
  /** Province (il), such as `İstanbul`. */
  province: string;
  /** County (ilçe), such as `Kadıköy`. */
  county: string;
  /** Neighbourhood (mahalle), such as `Caferağa`. */
  neighbourhood?: string;
  /** Street, building and door. */
  street: string;
  /** Postal code. */
  zip?: string;
}

/** The invoice address: a postal address plus the fields a company invoice needs. */
export interface BazaarInvoiceAddress extends BazaarAddress {
  /** Company name, for a company invoice. */
  company?: string;
  /** Tax office, for a company invoice. */
  taxOffice?: string;
  /** Tax number, for a company invoice. */
  taxNumber?: string;
}

/** One order line. Bazaar tracks status per line, not per order. */
export interface BazaarLine {
  /** Bazaar's id of the line. */
  lineId: string;
  /** Bazaar's product id (the merchant's SKU on Bazaar). */
  sku: string;
  /** Units ordered: 1 to 3. */
  quantity: number;
  /** Price of one unit, in kuruş. */
  unitPrice: number;
  /** List price of one unit before the sale, in kuruş. */
  listPrice?: number;
  /** VAT rate in percent, such as 20. */
  vatRate: number;
  /** Where the line stands: see {@link BAZAAR_LINE_STATUSES}. */
  status: string;
  /**
   * The carrier of this line's package, when the order ships in several packages and this one goes with
   * another carrier than the order's `carrier`.
   */
  carrier?: string;
  /** The tracking number of this line's package, once Bazaar has one. */
  trackingNumber?: string;
}

/** An order as `GET /orders` returns it. */
export interface BazaarOrder {
  /** Bazaar's id of the order. */
  orderId: string;
  /** The order number the buyer sees. */
  orderNumber: string;
  /** When it was placed, ISO 8601 with offset. */
  placedAt: string;
  /** ISO 4217 code; Bazaar sells in `TRY` only today. */
  currency: string;
  /** Who bought it. */
  buyer: { buyerId: string; email: string; firstName: string; lastName: string; phone?: string };
  /** Where it goes. */
  delivery: BazaarAddress;
  /** Where the invoice goes; `null` when it is the delivery address. */
  invoice: BazaarInvoiceAddress | null;
  /** Bazaar's carrier code, such as `YURTICI`. */
  carrier: string;
  /** Order total in kuruş. */
  totalPrice: number;
  /** Shipping fee in kuruş. */
  shippingFee: number;
  /** Discount in kuruş. */
  discount: number;
  /** The lines. */
  lines: BazaarLine[];
}

/** The line statuses Bazaar knows; anything else in a line update is refused. */
export const BAZAAR_LINE_STATUSES = [
  'CREATED',
  'APPROVED',
  'PICKING',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'RETURNED',
] as const;

/** One line change pushed with `POST /line-updates`. */
export interface BazaarLineUpdate {
  /** Bazaar's id of the order. */
  orderId: string;
  /** Bazaar's id of the line. */
  lineId: string;
  /** The new line status, one of {@link BAZAAR_LINE_STATUSES}. */
  status: string;
  /** Cargo tracking number, once shipped. */
  trackingNumber?: string;
}

/** What `GET /jobs/{id}` answers: still working, or one result per order of the job. */
export type BazaarJob =
  | { jobId: string; state: 'PROCESSING' }
  | { jobId: string; state: 'COMPLETED'; results: { orderId: string; accepted: boolean; error?: string }[] };

/** A cancellation of whole lines, as `GET /cancellations` returns it. */
export interface BazaarCancellation {
  /** Bazaar's id of the cancellation. */
  cancellationId: string;
  /** Bazaar's id of the order. */
  orderId: string;
  /** The cancelled lines; every unit of each is cancelled, unless `quantities` names the line. */
  lineIds: string[];
  /** Units cancelled per line id, for lines cancelled in part. */
  quantities?: Record<string, number>;
  /** Bazaar's reason code, such as `OUT_OF_STOCK`. */
  reasonCode: string;
  /** Whether the shipping fee is refunded too. */
  refundShipping: boolean;
}

/** A line status or tracking change, as `GET /line-events` returns it. */
export interface BazaarLineEvent {
  /** Bazaar's id of the event. */
  eventId: string;
  /** Bazaar's id of the order. */
  orderId: string;
  /** Bazaar's id of the line. */
  lineId: string;
  /** The line's new status. */
  status: string;
  /** Cargo tracking number, when the line shipped. */
  trackingNumber?: string;
  /** The carrier that took the line's package, when it is not the order's. */
  carrier?: string;
}

/** A cancellation or return request for some units of one line, as `GET /returns` returns it. */
export interface BazaarReturn {
  /** Bazaar's id of the request. */
  returnId: string;
  /** Bazaar's id of the order. */
  orderId: string;
  /** Bazaar's id of the line. */
  lineId: string;
  /** How many units of the line the buyer sends back (or cancels). */
  quantity: number;
  /** Bazaar's reason code, such as `DAMAGED`. */
  reasonCode: string;
  /** The buyer's note. */
  customerNote?: string;
  /** `RETURN` after delivery, `CANCEL` before shipping. */
  kind: 'RETURN' | 'CANCEL';
}

/** The merchant's decision on one unit of a return, sent with `POST /returns/{id}/decisions`. */
export interface BazaarReturnDecision {
  /** `ACCEPT`, `REJECT` or `COMPLETE`. */
  decision: 'ACCEPT' | 'REJECT' | 'COMPLETE';
  /** Which unit of the request (from 1). */
  unit: number;
  /** How many units the request covers. */
  of: number;
}

/** One page of a cursor-paged list: the items under `key`, and the cursor of the next page or `null`. */
export type BazaarPage<K extends string, T> = { [P in K]: T[] } & { nextCursor: string | null };

/** Bazaar Market's endpoints. Every method takes the flow's abort signal, as an HTTP client would. */
export interface BazaarApi {
  /** `GET /orders?cursor=…`: orders not acknowledged yet. */
  listOrders(cursor: string | null, signal?: AbortSignal): Promise<BazaarPage<'orders', BazaarOrder>>;
  /**
   * `GET /orders/search?from=…&to=…&cursor=…`: every order placed in `[from, to)`, acknowledged or not,
   * with its lines as they stand now.
   */
  searchOrders(
    window: { from: string; to: string },
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'orders', BazaarOrder>>;
  /** `POST /orders/ack`: stop offering these orders. Acknowledging one twice is harmless. */
  acknowledgeOrders(orderIds: string[], signal?: AbortSignal): Promise<{ acknowledged: string[] }>;
  /** `POST /line-updates`: queues line changes; the answer is a job to poll. */
  pushLineUpdates(updates: BazaarLineUpdate[], signal?: AbortSignal): Promise<{ jobId: string }>;
  /** `GET /jobs/{id}`. */
  getJob(jobId: string, signal?: AbortSignal): Promise<BazaarJob>;
  /** `GET /cancellations?cursor=…`. */
  listCancellations(
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<BazaarPage<'cancellations', BazaarCancellation>>;
  /**
   * `POST /cancellations/ack`: tells Bazaar which cancellations the seller's system applied and which it
   * could not, with why; Bazaar shows the seller the ones that failed.
   */
  acknowledgeCancellations(
    ack: { applied: string[]; failed: { cancellationId: string; reason: string }[] },
    signal?: AbortSignal,
  ): Promise<void>;
  /** `GET /line-events?cursor=…`. */
  listLineEvents(cursor: string | null, signal?: AbortSignal): Promise<BazaarPage<'events', BazaarLineEvent>>;
  /** `GET /returns?cursor=…`. */
  listReturns(cursor: string | null, signal?: AbortSignal): Promise<BazaarPage<'returns', BazaarReturn>>;
  /** `POST /returns/{id}/decisions`. */
  decideReturn(
    returnId: string,
    decision: BazaarReturnDecision,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; error?: string }>;
}
