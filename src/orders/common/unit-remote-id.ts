/**
 * Omnitron holds one item per unit of an order line, so a marketplace cancellation or return request for
 * several units becomes one Omnitron request per unit. Each needs its own marketplace id (it is how a
 * request yielded again is recognised): the request's own id for a request of one unit, else the id with
 * the unit appended in a form no marketplace id is expected to take.
 */
const UNIT_SUFFIX = /^(.*)\|unit:(\d+)\/(\d+)$/s;

/** Which unit of a request of several units an Omnitron request is (1-based). */
export interface RequestUnit {
  index: number;
  of: number;
}

/** The marketplace id Omnitron keeps for unit `index` of a request of `of` units. */
export function unitRemoteId(remoteId: string, index: number, of: number): string {
  return of === 1 ? remoteId : `${remoteId}|unit:${index}/${of}`;
}

/** The marketplace's request id and the unit behind an id made by {@link unitRemoteId}. */
export function parseUnitRemoteId(id: string): { remoteId: string; unit: RequestUnit | null } {
  const match = UNIT_SUFFIX.exec(id);
  if (!match) return { remoteId: id, unit: null };
  return { remoteId: match[1] as string, unit: { index: Number(match[2]), of: Number(match[3]) } };
}
