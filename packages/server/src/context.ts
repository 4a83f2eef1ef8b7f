import type { IndicatorEngine } from '@openphm/core';
import type { ResultCache } from './cache.js';
import type { PhmData } from './data/phm-data.js';
import type { OperationalDb } from './operational/db.js';

/** What the route modules share. */
export interface ServerContext {
  readonly data: PhmData;
  readonly ops: OperationalDb;
  readonly cache: ResultCache;
  readonly sharedDataDir: string | undefined;
  /** Secure (HTTPS-only) cookies. */
  readonly secureCookies: boolean;
  /** The indicator engine, once wired (extension point for issue 5's dashboard). */
  readonly indicatorEngine: IndicatorEngine | undefined;
}

/** Cached per (endpoint, params, database version). */
export const cached = <T>(ctx: ServerContext, endpoint: string, params: Readonly<Record<string, unknown>>, compute: () => Promise<T>): Promise<T> =>
  ctx.cache.get(endpoint, params, ctx.data.version(), compute);
