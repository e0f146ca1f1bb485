/**
 * How the mock server treats a list filter that Omnitron's public API reference does not list:
 * - `honour`: applies it (the default, as the SDK assumes);
 * - `ignore`: answers as if it were not there, so the whole list comes back;
 * - `400` or `500`: answers with that status;
 * - `closed`: closes the connection without answering.
 */
export type UndocumentedFilterMode = 'honour' | 'ignore' | 400 | 500 | 'closed';

/**
 * The list filters the SDK sends that Omnitron's public reference does not list, per list route (a path
 * suffix under `/api/v1/channel/<id>/`). `status` on batch requests stands for the status filters.
 */
export const UNDOCUMENTED_FILTERS: Readonly<Record<string, readonly string[]>> = {
  'orders/': ['number__in', 'pk__in'],
  'order_items/': ['order__in', 'pk__in'],
  'cancellation_requests/': ['remote_id', 'remote_id__in'],
  'batch_requests/': ['status'],
};

/** The undocumented filters a GET to `path` carries, if any. */
export function undocumentedFiltersOf(method: string, path: string, query: URLSearchParams): string[] {
  if (method !== 'GET') return [];
  const route = /^\/api\/v1\/channel\/\d+\/(.+)$/.exec(path)?.[1];
  const filters = route === undefined ? undefined : UNDOCUMENTED_FILTERS[route];
  return (filters ?? []).filter((key) => query.has(key));
}

/** How many times each of the mock server's behaviour switches changed an answer. */
export interface MockBehaviourCounts {
  /** Requests whose undocumented filters were ignored (`undocumentedFilters: 'ignore'`). */
  filtersIgnored: number;
  /** Requests refused for an undocumented filter (`undocumentedFilters: 400 | 500 | 'closed'`). */
  filtersRefused: number;
  /** Requests for a page past the first answered with the first page (`pagination: 'ignore'`). */
  pagesIgnored: number;
  /** Orders stored although their number was known (`uniqueOrderNumbers: false`). */
  duplicateOrdersAccepted: number;
  /** Orders refused because their number was known (`uniqueOrderNumbers: true`). */
  duplicateOrdersRefused: number;
  /** Creates answered late, after the object was stored (`slowCreates`). */
  slowCreates: number;
  /** Answers sent with a skewed `Date` header (`clockSkew`). */
  skewedAnswers: number;
}

/** Every counter at zero. */
export function zeroBehaviourCounts(): MockBehaviourCounts {
  return {
    filtersIgnored: 0,
    filtersRefused: 0,
    pagesIgnored: 0,
    duplicateOrdersAccepted: 0,
    duplicateOrdersRefused: 0,
    slowCreates: 0,
    skewedAnswers: 0,
  };
}
