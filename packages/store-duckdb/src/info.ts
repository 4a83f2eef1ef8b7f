/** Summary of what a database holds: used by `phm info`. */
import { TABLE_NAMES } from '@openphm/core';
import type { PhmDatabase } from './database.js';
import { AUX_TABLES } from './ddl.js';
import { ident, literal } from './sql.js';

export interface PeopleCount {
  /** Everyone in the person table who lives there (registered at some point in the window). */
  readonly people: number;
  /** Of those, people alive at the end of the window (no death before window_end). */
  readonly alive: number;
}

export interface PopulationInfo {
  readonly meta: Readonly<Record<string, string>>;
  readonly windowStart: string | null;
  /** First day after the window (exclusive end), or null when the meta table does not say. */
  readonly windowEnd: string | null;
  readonly people: { readonly total: number; readonly aliveAtWindowEnd: number };
  readonly byPlace: readonly ({ readonly place: string; readonly name: string } & PeopleCount)[];
  readonly byNeighbourhood: readonly ({ readonly neighbourhoodId: string; readonly name: string; readonly place: string } & PeopleCount)[];
  /** IMD 2019 decile of the LSOA of residence (1 = most deprived). */
  readonly byImdDecile: readonly ({ readonly imdDecile: number } & PeopleCount)[];
  /** Row count of every table (person-level, geography and meta). */
  readonly tables: Readonly<Record<string, number>>;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export const populationInfo = async (db: PhmDatabase): Promise<PopulationInfo> => {
  const metaRows = await db.query<{ key: string; value: string }>('SELECT key, value FROM meta ORDER BY key');
  const meta = Object.fromEntries(metaRows.map((r) => [r.key, r.value]));
  const windowStart = meta.window_start !== undefined && isoDate.test(meta.window_start) ? meta.window_start : null;
  const windowEnd = meta.window_end !== undefined && isoDate.test(meta.window_end) ? meta.window_end : null;

  const deathsBefore = windowEnd === null ? 'SELECT person_id FROM death' : `SELECT person_id FROM death WHERE date_of_death < DATE ${literal(windowEnd)}`;
  const bornBefore = windowEnd === null ? 'true' : `p.date_of_birth < DATE ${literal(windowEnd)}`;
  const people = `(SELECT p.person_id, l.place, l.neighbourhood_id, l.imd_decile, (d.person_id IS NULL AND ${bornBefore}) AS alive
    FROM person p LEFT JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code LEFT JOIN (${deathsBefore}) d ON d.person_id = p.person_id)`;
  const counts = 'count(x.person_id)::BIGINT AS people, count(x.person_id) FILTER (WHERE x.alive)::BIGINT AS alive';

  const [totals] = await db.query<{ total: number; alive: number }>(
    `SELECT count(*)::BIGINT AS total, count(*) FILTER (WHERE alive)::BIGINT AS alive FROM ${people}`,
  );
  const byPlace = await db.query<{ place: string; name: string } & PeopleCount>(
    `SELECT g.place, g.name, ${counts} FROM geo_place g LEFT JOIN ${people} x ON x.place = g.place GROUP BY g.place, g.name ORDER BY g.place`,
  );
  const byNeighbourhood = await db.query<{ neighbourhoodId: string; name: string; place: string } & PeopleCount>(
    `SELECT g.neighbourhood_id AS "neighbourhoodId", g.name, g.place, ${counts}
     FROM geo_neighbourhood g LEFT JOIN ${people} x ON x.neighbourhood_id = g.neighbourhood_id
     GROUP BY g.neighbourhood_id, g.name, g.place ORDER BY g.place, g.neighbourhood_id`,
  );
  const byImdDecile = await db.query<{ imdDecile: number } & PeopleCount>(
    `SELECT g.imd_decile AS "imdDecile", ${counts}
     FROM (SELECT DISTINCT imd_decile FROM geo_lsoa) g LEFT JOIN ${people} x ON x.imd_decile = g.imd_decile
     GROUP BY g.imd_decile ORDER BY g.imd_decile`,
  );
  const tableNames = [...TABLE_NAMES, ...AUX_TABLES.map((t) => t.name)];
  const tableCounts = await db.query<{ name: string; n: number }>(
    tableNames.map((t) => `SELECT ${literal(t)} AS name, count(*)::BIGINT AS n FROM ${ident(t)}`).join(' UNION ALL '),
  );
  const tables = Object.fromEntries(tableNames.map((t) => [t, tableCounts.find((r) => r.name === t)?.n ?? 0]));
  return {
    meta,
    windowStart,
    windowEnd,
    people: { total: totals?.total ?? 0, aliveAtWindowEnd: totals?.alive ?? 0 },
    byPlace,
    byNeighbourhood,
    byImdDecile,
    tables,
  };
};
