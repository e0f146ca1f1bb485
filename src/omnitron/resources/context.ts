import { z } from 'zod';
import type { CreateOptions } from '../../integrations/omnitron-integration.js';
import type { CreateBehindLookupOptions } from '../create-behind-lookup.js';
import type { OmnitronHttpClient, Query } from '../http-client.js';
import type { UndocumentedFilters } from '../undocumented-filters.js';
import type { RestHooks } from './hooks.js';

/** The schema of an answer whose body is not used. */
export const Ignored = z.unknown();

/**
 * What every resource of the REST adapter needs: the HTTP client, the channel, the adapter's extension
 * points, and how creates are retried. `OmnitronRestIntegration` builds one and hands it to each resource.
 */
export interface RestContext {
  /** The HTTP transport: auth, retries, pagination, typed errors. */
  readonly http: OmnitronHttpClient;
  /** Omnitron id of the channel. */
  readonly channelId: number;
  /** Items per page when listing. */
  readonly pageSize: number;
  /** The adapter's extension points a resource applies (a subclass's overrides included). */
  readonly hooks: RestHooks;
  /** The undocumented filters, and which of them failed (one record per integration). */
  readonly filters: UndocumentedFilters;
  /** How a create of `what` is retried behind a look-up (and whether its caller defers an unknown fate). */
  creates(what: string, options?: CreateOptions): CreateBehindLookupOptions;
}

/** Streams a list under the channel, page by page. */
export function list<S extends z.ZodType>(
  ctx: RestContext,
  path: string,
  query: Query,
  schema: S,
): AsyncGenerator<z.infer<S>> {
  return ctx.http.paginate(ctx.hooks.channelPath(path), query, schema, ctx.pageSize);
}

/**
 * Streams a list under the channel that its reader drains from the front, page by page: an update feed,
 * whose items leave it once sent, or batch requests of a status their reader moves on. A page that
 * repeats what was read ends the read instead of failing it (see `paginate`'s `feed`): what was read is
 * handled now, the rest by the next read.
 */
export function feed<S extends z.ZodType>(
  ctx: RestContext,
  path: string,
  query: Query,
  schema: S,
): AsyncGenerator<z.infer<S>> {
  return ctx.http.paginate(ctx.hooks.channelPath(path), query, schema, ctx.pageSize, { feed: true });
}

/** Reads every page of a list under the channel. */
export async function all<S extends z.ZodType>(
  ctx: RestContext,
  path: string,
  query: Query,
  schema: S,
): Promise<z.infer<S>[]> {
  const out: z.infer<S>[] = [];
  for await (const item of list(ctx, path, query, schema)) out.push(item);
  return out;
}
