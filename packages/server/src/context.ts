import type { IndicatorEngine } from '@openphm/core';
import type { ResultCache, VersionMemo } from './cache.js';
import type { PhmData } from './data/phm-data.js';
import type { OperationalDb } from './operational/db.js';

/** What the route modules share. */
export interface ServerContext {
  readonly data: PhmData;
  readonly ops: OperationalDb;
  /** LRU results keyed by (endpoint, params, data version). */
  readonly cache: ResultCache;
  /** Per-data-version results that are never evicted (person features, the dashboard's indicator counts). */
  readonly memo: VersionMemo;
  readonly sharedDataDir: string | undefined;
  /** Folder of the stored cohort definitions (cohorts/*.json). */
  readonly cohortsDir: string;
  /** Plan files (plans/*.json) that could not be loaded at start-up, with why. */
  readonly planProblems: readonly { readonly source: string; readonly message: string }[];
  /** Today's date (ISO), passed in so that tests can pin it. */
  readonly today: () => string;
  /** Secure (HTTPS-only) cookies. */
  readonly secureCookies: boolean;
  /** The indicator engine, once wired; undefined when none (results answer 501). */
  readonly indicatorEngine: IndicatorEngine | undefined;
  /** Per user of the cohort builder: query times in the last day, differencing strikes, pause (data/cohort-counts.ts). */
  readonly cohortCounting: Map<number, CohortCountingState>;
}

export interface CohortCountingState {
  /** Start times (ms) of count queries in the last 24 hours. */
  queries: number[];
  strikes: number;
  pausedUntil: number;
}

/** Cached per (endpoint, params, database version). */
export const cached = <T>(ctx: ServerContext, endpoint: string, params: Readonly<Record<string, unknown>>, compute: () => Promise<T>): Promise<T> =>
  ctx.cache.get(endpoint, params, ctx.data.version(), compute);

/** Kept for the whole data version (not evicted). */
export const memoised = <T>(ctx: ServerContext, key: string, compute: () => Promise<T>): Promise<T> => ctx.memo.get(key, ctx.data.version(), compute);

/**
 * An engine that follows the data: a new engine is built when the database version changes, so
 * engines that cache counts (the DuckDB engine with allBreakdowns) never answer from old data.
 */
export const versionedEngine = (data: PhmData, build: () => IndicatorEngine): IndicatorEngine => {
  let version = data.version();
  let engine = build();
  return {
    get name() {
      return engine.name;
    },
    aggregate: (request) => {
      const now = data.version();
      if (now !== version) {
        version = now;
        engine = build();
      }
      return engine.aggregate(request);
    },
  };
};
