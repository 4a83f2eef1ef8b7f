/**
 * Person features for segments, risk and cohorts: computed once per data version into a TEMP table
 * of the server's (read-only) DuckDB connection, at the last day of the data window. On the full
 * partnership this takes about 20 s, so the server starts it in the background (warm.ts) and
 * requests await the same promise. Labels for breakdown groups come from the geography tables.
 */
import { createHash } from 'node:crypto';
import { chmod, readFile, rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { AGE_BREAKDOWN_BANDS, TABLE_NAMES, type Breakdown } from '@openphm/core';
import {
  PERSON_FEATURES_TABLE,
  computePersonFeatures,
  countPersonEvents,
  featuresRelation,
  loadPersonEvents,
  loadPersonFeatures,
  localAuthorityRows,
  lsoaRows,
  neighbourhoodRows,
  personEventsSql,
  personFeaturesSql,
  placeRows,
  savePersonEvents,
  savePersonFeatures,
} from '@openphm/store-duckdb';
import { cached, memoised, persisted, type ServerContext } from '../context.js';
import { definitionHash } from './persisted-results.js';
import { neighbourhoodNames, shownName } from './neighbourhood-names.js';
import { referenceDate } from './population.js';

export interface FeaturesReady {
  /** The reference date the features describe (the last day of the data window). */
  readonly date: string;
  readonly table: string;
  readonly people: number;
}

/**
 * The persisted form of the person features and of their event lists: a Parquet file in the results folder (person-level
 * rows, pseudonymous, of the analytics zone like the database beside it: never identities) and its SHA-256, so a
 * half-written or altered file is computed again, never loaded.
 */
const StoredParquet = z.object({ date: z.string(), people: z.number().int().nonnegative(), file: z.string(), sha256: z.string() });
type StoredParquet = z.infer<typeof StoredParquet>;

const fileSha = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

/**
 * A persisted entry's store and restore for a person-level Parquet file: written to a temporary file (0600) and renamed
 * over `file`, its checksum kept in the entry; read back only when the entry names that file and date and the checksum
 * matches, and only if it holds the people the entry says. `what` names it in errors.
 */
const parquetEntry = (file: string | undefined, date: string, what: string, io: { readonly save: (path: string) => Promise<void>; readonly load: (path: string) => Promise<number> }) => ({
  schema: StoredParquet,
  store: async (people: number): Promise<StoredParquet> => {
    const tmp = `${file!}.${process.pid}.tmp`;
    try {
      await io.save(tmp);
      await chmod(tmp, 0o600);
      await rename(tmp, file!);
    } finally {
      await rm(tmp, { force: true });
    }
    return { date, people, file: basename(file!), sha256: await fileSha(file!) };
  },
  restore: async (stored: StoredParquet): Promise<number> => {
    if (file === undefined || stored.file !== basename(file) || stored.date !== date || (await fileSha(file)) !== stored.sha256) throw new Error(`the persisted ${what} file does not match its entry`);
    const people = await io.load(file);
    if (people !== stored.people) throw new Error(`the persisted ${what} file does not hold the people of its entry`);
    return people;
  },
});

/**
 * The person features of the current data version: loaded from the results folder when computed
 * before from the same tables (data/persisted-results.ts), else computed (about 20-50 s on the
 * full partnership) and kept there; then shared by every request of the version.
 */
export const personFeatures = async (ctx: ServerContext): Promise<FeaturesReady> =>
  memoised(ctx, 'person-features', async () => {
    const date = await referenceDate(ctx.data);
    const entry = parquetEntry(ctx.results.fileFor('person-features', date, 'parquet'), date, 'features', {
      save: (path) => savePersonFeatures(ctx.data, path, PERSON_FEATURES_TABLE),
      load: (path) => loadPersonFeatures(ctx.data, path, date, PERSON_FEATURES_TABLE),
    });
    return persisted<FeaturesReady, StoredParquet>(
      ctx,
      {
        kind: 'person-features',
        key: date,
        code: definitionHash(personFeaturesSql(date)),
        tables: TABLE_NAMES,
        schema: entry.schema,
        store: (ready) => entry.store(ready.people),
        restore: async (stored) => ({ date, table: PERSON_FEATURES_TABLE, people: await entry.restore(stored) }),
      },
      async () => {
        // computePersonFeatures (not ensure…): a reopened database has lost the TEMP table of the old version.
        const people = await computePersonFeatures(ctx.data, date, { table: PERSON_FEATURES_TABLE });
        return { date, table: PERSON_FEATURES_TABLE, people };
      },
    );
  });

/**
 * The dated event lists of the current version's person features (what `events` rules read), made on first need and
 * not at start: they are the costliest part of the features (store-duckdb's personEventsSql), and the dashboards,
 * segments and risk summaries never read them. Loaded from the results folder when made before from the same tables,
 * else made and kept there, as the features are.
 */
export const personEvents = async (ctx: ServerContext): Promise<FeaturesReady> => {
  const features = await personFeatures(ctx);
  return memoised(ctx, 'person-events', async () => {
    const { date, table } = features;
    const entry = parquetEntry(ctx.results.fileFor('person-events', date, 'parquet'), date, 'event lists', {
      save: (path) => savePersonEvents(ctx.data, path, table),
      load: (path) => loadPersonEvents(ctx.data, path, date, table),
    });
    await persisted<{ people: number }, StoredParquet>(
      ctx,
      {
        kind: 'person-events',
        key: date,
        code: definitionHash(personEventsSql(date)),
        tables: TABLE_NAMES,
        schema: entry.schema,
        store: (ready) => entry.store(ready.people),
        restore: async (stored) => ({ people: await entry.restore(stored) }),
      },
      async () => ({ people: await countPersonEvents(ctx.data, table) }),
    );
    return features;
  });
};

/**
 * The person features as a relation (SQL text, to be given an alias) for a query: the table, or with the event lists
 * joined (personEvents first, so that they are loaded or kept) when the query's rules read them (core's ruleUsesEvents).
 */
export const personFeaturesRelation = async (ctx: ServerContext, withEvents: boolean): Promise<FeaturesReady & { readonly relation: string }> => {
  const features = withEvents ? await personEvents(ctx) : await personFeatures(ctx);
  return { ...features, relation: await featuresRelation(ctx.data, features.table, withEvents) };
};

export interface GeoNames {
  readonly icsName: string;
  readonly places: ReadonlyMap<string, string>;
  readonly neighbourhoods: ReadonlyMap<string, { readonly name: string; readonly place: string }>;
  readonly localAuthorities: ReadonlyMap<string, string>;
  /** LSOA code → name, place and IMD decile (to re-aggregate LSOA counts within a place). */
  readonly lsoas: ReadonlyMap<string, { readonly name: string; readonly place: string; readonly neighbourhoodId: string | null; readonly imdDecile: number }>;
}

/** Names of the areas, neighbourhoods named as admins named them (data/neighbourhood-names.ts), else after their PCN. */
export const geoNames = async (ctx: ServerContext): Promise<GeoNames> => {
  const names = await neighbourhoodNames(ctx);
  if (names.renamed.size === 0) return baseGeoNames(ctx);
  return cached(ctx, 'geo-names', { names: names.stamp }, async () => {
    const base = await baseGeoNames(ctx);
    return { ...base, neighbourhoods: new Map([...base.neighbourhoods].map(([id, n]) => [id, { ...n, name: shownName(names, id, n.name) }])) };
  });
};

/** The names in the geography tables (neighbourhoods after their PCN), kept for the data version. */
const baseGeoNames = (ctx: ServerContext): Promise<GeoNames> =>
  memoised(ctx, 'geo-names', async () => {
    const places = await placeRows(ctx.data);
    const neighbourhoods = await neighbourhoodRows(ctx.data);
    const las = await localAuthorityRows(ctx.data);
    const lsoas = await lsoaRows(ctx.data);
    return {
      icsName: places[0]?.ics ?? 'ICS',
      places: new Map(places.map((p) => [p.id, p.name])),
      neighbourhoods: new Map(neighbourhoods.map((n) => [n.id, { name: n.name, place: n.place }])),
      localAuthorities: new Map(las.map((l) => [l.code, l.name])),
      lsoas: new Map(lsoas.map((l) => [l.code, { name: l.name, place: l.place, neighbourhoodId: l.neighbourhoodId, imdDecile: Number(l.imdDecile) }])),
    };
  });

const SEX_LABEL: Record<string, string> = { F: 'Female', M: 'Male' };

/** A readable label for a breakdown group ('leeds' → 'Leeds', '1' → '1 (most deprived)'). */
export const groupLabel = (geo: GeoNames, breakdown: Breakdown, group: string): string => {
  switch (breakdown) {
    case 'ics':
      return geo.icsName;
    case 'place':
      return geo.places.get(group) ?? group;
    case 'neighbourhood':
      return geo.neighbourhoods.get(group)?.name ?? group;
    case 'local-authority':
      return geo.localAuthorities.get(group) ?? group;
    case 'imd-decile':
      return group === '1' ? '1 (most deprived)' : group === '10' ? '10 (least deprived)' : group;
    case 'imd-quintile':
      return group === '1' ? '1 (most deprived)' : group === '5' ? '5 (least deprived)' : group;
    case 'sex':
      return SEX_LABEL[group] ?? group;
    case 'age-band':
      return AGE_BREAKDOWN_BANDS.some((b) => b.label === group) ? `${group} years` : group;
    case 'ethnic-group':
      return group;
    default:
      return group;
  }
};
