/** The API client of "Acme", an imaginary marketplace: the kind of client a team already has. */
export interface AcmeApi {
  /** Orders not yet confirmed by the seller, page by page. */
  newOrders(signal: AbortSignal): AsyncIterable<AcmeOrder>;
  /** Marks orders as taken, so they stop showing up in `newOrders`. */
  confirm(orderIds: string[], signal: AbortSignal): Promise<void>;
  /** Pushes order statuses; answers per order. */
  pushStatus(
    updates: { orderId: string; status: string }[],
    signal: AbortSignal,
  ): Promise<{ orderId: string; ok: boolean; error?: string }[]>;
}

/** An order as Acme's API returns it. */
export interface AcmeOrder {
  id: string;
  buyer: { email: string; name: string; surname: string };
  address: { city: string; town: string; line: string };
  total: string;
  cargo: string;
  placedAt: string;
  lines: { id: string; sku: string; price: string; qty: number }[];
}
