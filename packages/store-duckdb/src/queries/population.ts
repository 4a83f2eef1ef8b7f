/**
 * People alive and resident in an area on a day, counted by age band and sex, IMD decile and the
 * areas one level down, each count with the cell key of its people (for disclosure control).
 */
import { ESP2013, cellKeyFromSum, type KeyedCount } from '@openphm/core';
import type { Queryable } from './window.js';

export type AreaLevel = 'ics' | 'place' | 'neighbourhood' | 'lsoa';

const FILTER: Record<AreaLevel, string> = {
  ics: 'true',
  place: 'l.place = $2',
  neighbourhood: 'l.neighbourhood_id = $2',
  lsoa: 'l.lsoa_code = $2',
};

/** People alive and resident in the area on the reference date ($1), with their age then. */
const peopleSql = (level: AreaLevel): string => `
  SELECT p.person_id, p.record_key, p.sex, date_sub('year', p.date_of_birth, $1::DATE) AS age, l.place, l.neighbourhood_id, l.lsoa_code, l.imd_decile
  FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
  WHERE p.date_of_birth <= $1::DATE
    AND NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id AND d.date_of_death <= $1::DATE)
    AND ${FILTER[level]}`;

const COUNT = 'count(x.person_id)::BIGINT AS n, coalesce(sum(x.record_key), 0)::BIGINT AS k';
type Counted = { n: number; k: number };
const keyed = (r: Counted | undefined): KeyedCount => (r === undefined ? { n: 0, key: 0 } : { n: Number(r.n), key: cellKeyFromSum(r.k) });

export interface ResidentCounts {
  /** [age band index of ESP 2013, sex] → people. */
  readonly pyramid: (band: number, sex: string) => KeyedCount;
  /** IMD decile 1-10 → people. */
  readonly decile: (decile: number) => KeyedCount;
  /** The areas one level down (places of the ICS, neighbourhoods of a place, LSOAs of a neighbourhood), in id order. */
  readonly breakdown: { readonly by: 'place' | 'neighbourhood' | 'lsoa' | 'none'; readonly rows: readonly { readonly id: string; readonly name: string; readonly count: KeyedCount }[] };
}

/** Residents of an area (`id` ignored for the ICS) on `day`, counted for the population summary. */
export const residentCounts = async (db: Queryable, level: AreaLevel, id: string, day: string): Promise<ResidentCounts> => {
  const params = level === 'ics' ? [day] : [day, id];
  const people = peopleSql(level);
  const last = ESP2013.bands.length - 1;
  const pyramidRows = await db.query<Counted & { band: number; sex: string }>(`SELECT least(x.age // 5, ${last})::INTEGER AS band, x.sex, ${COUNT} FROM (${people}) x GROUP BY ALL`, params);
  const decileRows = await db.query<Counted & { decile: number }>(`SELECT x.imd_decile AS decile, ${COUNT} FROM (${people}) x GROUP BY ALL`, params);
  let by: ResidentCounts['breakdown']['by'] = 'none';
  let rows: (Counted & { id: string; name: string })[] = [];
  if (level === 'ics') {
    by = 'place';
    rows = await db.query(`SELECT g.place AS id, g.name, ${COUNT} FROM geo_place g LEFT JOIN (${people}) x ON x.place = g.place GROUP BY ALL ORDER BY g.place`, params);
  } else if (level === 'place') {
    by = 'neighbourhood';
    rows = await db.query(
      `SELECT g.neighbourhood_id AS id, g.name, ${COUNT} FROM geo_neighbourhood g LEFT JOIN (${people}) x ON x.neighbourhood_id = g.neighbourhood_id
       WHERE g.place = $2 GROUP BY ALL ORDER BY g.neighbourhood_id`,
      params,
    );
  } else if (level === 'neighbourhood') {
    by = 'lsoa';
    rows = await db.query(
      `SELECT g.lsoa_code AS id, g.lsoa_name AS name, ${COUNT} FROM geo_lsoa g LEFT JOIN (${people}) x ON x.lsoa_code = g.lsoa_code
       WHERE g.neighbourhood_id = $2 GROUP BY ALL ORDER BY g.lsoa_code`,
      params,
    );
  }
  return {
    pyramid: (band, sex) => keyed(pyramidRows.find((r) => r.band === band && r.sex === sex)),
    decile: (decile) => keyed(decileRows.find((r) => Number(r.decile) === decile)),
    breakdown: { by, rows: rows.map((r) => ({ id: r.id, name: r.name, count: keyed(r) })) },
  };
};

/** Adults (18+) registered, alive and resident on `day`, in a place or the ICS (null), with their cell key. */
export const adultResidents = async (db: Queryable, day: string, place: string | null): Promise<KeyedCount> => {
  const [row] = await db.query<{ n: number; k: number }>(
    `SELECT count(*)::BIGINT AS n, coalesce(sum(p.record_key), 0)::BIGINT AS k FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code LEFT JOIN death d ON d.person_id = p.person_id
     WHERE p.date_of_birth <= $1::DATE - INTERVAL 18 YEAR AND p.registration_date <= $1::DATE AND (d.date_of_death IS NULL OR d.date_of_death > $1::DATE)${place === null ? '' : ' AND l.place = $2'}`,
    place === null ? [day] : [day, place],
  );
  return { n: Number(row?.n ?? 0), key: cellKeyFromSum(row?.k ?? 0) };
};
