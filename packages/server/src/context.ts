import { InternalError, UserError, type IndicatorEngine } from '@openphm/core';
import type { ResultCache, VersionMemo } from './cache.js';
import type { PhmData } from './data/phm-data.js';
import type { OperationalDb } from './operational/db.js';
import type { OidcClient } from './data/oidc.js';
import type { ThrottleRule } from './operational/login-throttle.js';
import type { EntrySpec, ResultStore } from './data/persisted-results.js';
import type { PersonDocsSource } from './data/person-docs-source.js';

/** How people sign in (docs/security.md): log-in throttling, TOTP, single sign-on. */
export interface SignInSettings {
  readonly throttle: { readonly account: ThrottleRule; readonly address: ThrottleRule };
  /** TOTP required for the roles that see person-level rows (local accounts). */
  readonly totpRequired: boolean;
  /** Single sign-on, when configured. */
  readonly oidc: OidcClient | undefined;
  /** The clock (tests move it). */
  readonly now: () => Date;
}

/** What the route modules share. */
export interface ServerContext {
  readonly data: PhmData;
  readonly ops: OperationalDb;
  /** LRU results keyed by (endpoint, params, data version). */
  readonly cache: ResultCache;
  /** Per-data-version results that are never evicted (person features, the dashboard's indicator counts). */
  readonly memo: VersionMemo;
  /** Results kept on disk beside the database, per the tables they read (data/persisted-results.ts). */
  readonly results: ResultStore;
  readonly sharedDataDir: string | undefined;
  /** Folder of the stored cohort definitions (cohorts/*.json). */
  readonly cohortsDir: string;
  /** Plan files (plans/*.json) that could not be loaded at start-up, with why. */
  readonly planProblems: readonly { readonly source: string; readonly message: string }[];
  /** Today's date (ISO), passed in so that tests can pin it. */
  readonly today: () => string;
  /** Secure (HTTPS-only) cookies. */
  readonly secureCookies: boolean;
  /** Log-in throttling, TOTP and single sign-on. */
  readonly signIn: SignInSettings;
  /** The indicator engine, once wired; undefined when none (results answer 501). */
  readonly indicatorEngine: IndicatorEngine | undefined;
  /**
   * Opens a counting run on the current data version for the background precomputation
   * (data/warm.ts): until it is closed, indicatorEngine counts in it (on the DuckDB store: the
   * residents built once, shared denominators counted once), requests' counts as well as the
   * precomputation's. Absent: counts are made one by one.
   */
  readonly indicatorRun?: () => Promise<IndicatorRun>;
  /**
   * Freshness stamps read from the operational store, with its write count (ops.writes) and the time
   * they were read at: re-read at once after a write by this process, otherwise at most every
   * STAMP_MAX_AGE_MS (for another process writing to a shared PostgreSQL).
   */
  readonly stamps: Map<string, { value: unknown; writes: number; at: number }>;
  /** Per user of the cohort builder: query times in the last day, differencing strikes, pause (data/cohort-counts.ts). */
  readonly cohortCounting: Map<number, CohortCountingState>;
  /** The person documents beside the database (data/person-docs.ts); absent: every person-level read goes to DuckDB. */
  readonly personDocs?: PersonDocsSource;
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

/** How long a freshness stamp of the operational store is trusted when this server has changed nothing. */
export const STAMP_MAX_AGE_MS = 2000;

/**
 * A freshness stamp (a cheap query saying whether stored records changed), read again only after a
 * write through this server or when older than STAMP_MAX_AGE_MS: under load, every request would
 * otherwise query the operational store just to learn that nothing changed.
 */
export const freshStamp = (ctx: ServerContext, key: string, read: () => Promise<string>, now = Date.now()): Promise<string> => freshValue(ctx, `stamp:${key}`, read, now);

/**
 * A value read from the operational store under the same rule as freshStamp: kept until this
 * process writes to the store (ops.writes moves) or it is STAMP_MAX_AGE_MS old. Requests that find
 * it stale at the same moment share one read; a read that fails is not kept.
 */
export const freshValue = <T>(ctx: Pick<ServerContext, 'ops' | 'stamps'>, key: string, read: () => Promise<T>, now = Date.now()): Promise<T> => {
  const known = ctx.stamps.get(key);
  if (known && known.writes === ctx.ops.writes && now - known.at < STAMP_MAX_AGE_MS) return known.value as Promise<T>;
  const value = read();
  const entry = { value, writes: ctx.ops.writes, at: now };
  ctx.stamps.set(key, entry);
  value.catch(() => {
    if (ctx.stamps.get(key) === entry) ctx.stamps.delete(key);
  });
  return value;
};

/** Kept for the whole data version (not evicted). */
export const memoised = <T>(ctx: ServerContext, key: string, compute: () => Promise<T>): Promise<T> => ctx.memo.get(key, ctx.data.version(), compute);

/**
 * Kept for the whole data version, and on disk across restarts and data versions whose tables it
 * reads are unchanged (data/persisted-results.ts): read from there first, computed when missing.
 */
export const persisted = <T, S = T>(ctx: ServerContext, spec: EntrySpec<T, S>, compute: () => Promise<T>): Promise<T> =>
  memoised(ctx, `${spec.kind}:${spec.key}`, () => ctx.results.get(ctx.data, spec, compute));

/** The indicator engine of a server: follows the data, and counts in a run while one is open (adopt). */
export interface VersionedEngine extends IndicatorEngine {
  /**
   * Answers with `engine`, pinned to `version` (pinnedEngine), while the data are at that version,
   * until the returned release is called: every count meanwhile, the precomputation's and requests'
   * alike, goes through the one engine, so nothing is counted twice by two engines.
   */
  adopt(version: string, engine: IndicatorEngine): () => void;
}

/**
 * An engine that follows the data: a new engine is built when the database version changes, so
 * engines that cache counts (the DuckDB engine with allBreakdowns) never answer from old data.
 */
export const versionedEngine = (data: PhmData, build: () => IndicatorEngine): VersionedEngine => {
  let version = data.version();
  let engine = build();
  let adopted: { readonly version: string; readonly engine: IndicatorEngine } | undefined;
  const current = (): IndicatorEngine => {
    const now = data.version();
    if (adopted && adopted.version === now) return adopted.engine;
    if (now !== version) {
      version = now;
      engine = build();
    }
    return engine;
  };
  return {
    get name() {
      return engine.name;
    },
    aggregate: (request) => current().aggregate(request),
    aggregateMany: (request) => {
      const e = current();
      if (e.aggregateMany) return e.aggregateMany(request);
      return Promise.all(
        request.periods.map(async (period) => new Map(await Promise.all(request.breakdowns.map(async (breakdown) => [breakdown, await e.aggregate({ definition: request.definition, period, breakdown })] as const)))),
      );
    },
    adopt: (at, other) => {
      if (other.name !== engine.name) throw new InternalError(`an adopted engine must count as ${engine.name} does (its counts are kept under that name), not as ${other.name}`);
      const entry = { version: at, engine: pinnedEngine(data, at, other) };
      adopted = entry;
      return () => {
        if (adopted === entry) adopted = undefined;
      };
    },
  };
};

/** An engine for counting many indicators on one data version, and what it holds until closed. */
export interface IndicatorRun {
  readonly engine: IndicatorEngine;
  /**
   * The engine the precomputation counts the catalogue's latest period by area with, when not `engine` (serve.ts: the
   * same run with the person proportions counted together in groups, which pays for the whole catalogue's one period
   * but not for a request's one indicator, whose group would be counted with it, nor for several periods at once).
   */
  readonly precompute?: IndicatorEngine;
  /** Frees what the run holds (its TEMP tables, its counts). */
  close(): Promise<void>;
}

/**
 * Opens a counting run on the data's current version and has `engine` count in it until the run is
 * closed (VersionedEngine.adopt); the run's engine is the one returned, pinned to that version.
 */
export const openIndicatorRun = async (data: PhmData, engine: VersionedEngine, open: (db: PhmData) => Promise<IndicatorRun>): Promise<IndicatorRun> => {
  const version = data.version();
  const run = await open(data);
  const release = engine.adopt(version, run.engine);
  return {
    engine: pinnedEngine(data, version, run.engine),
    ...(run.precompute ? { precompute: pinnedEngine(data, version, run.precompute) } : {}),
    close: async () => {
      release();
      await run.close();
    },
  };
};

/** The data version changed while a pinned engine counted: its counts are not kept (ask again: they are counted on the new version). */
export class VersionChangedError extends UserError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super('the data changed while these figures were being counted: ask again', 'conflict');
    this.name = 'VersionChangedError';
  }
}

/**
 * An engine that only answers for one data version: a count asked for, or finished, after the data
 * changed throws VersionChangedError instead of returning (a run's shared counting holds the old
 * version's residents and counts).
 */
export const pinnedEngine = (data: Pick<PhmData, 'version'>, version: string, engine: IndicatorEngine): IndicatorEngine => {
  const check = () => {
    const now = data.version();
    if (now !== version) throw new VersionChangedError(version, now);
  };
  const pinned = async <T>(count: () => Promise<T>): Promise<T> => {
    check();
    const result = await count();
    check();
    return result;
  };
  return {
    name: engine.name,
    aggregate: (request) => pinned(() => engine.aggregate(request)),
    ...(engine.aggregateMany ? { aggregateMany: (request: Parameters<NonNullable<IndicatorEngine['aggregateMany']>>[0]) => pinned(() => engine.aggregateMany!(request)) } : {}),
  };
};

/** A result and what the audit record of granting it says (never person data). */
export interface Audited<T> {
  readonly value: T;
  readonly audit: string;
}
