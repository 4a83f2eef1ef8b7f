/** Reads of the partnership's geography as stored in the database (the geo_* tables). */
import type { Queryable } from './window.js';

export interface PlaceRow {
  readonly id: string;
  readonly name: string;
  /** Mid-2015 population (IoD 2019 denominators, published ONS figures). */
  readonly population: number;
  readonly ics: string;
}

export const placeRows = (db: Queryable): Promise<PlaceRow[]> => db.query<PlaceRow>('SELECT place AS id, name, population, ics_name AS ics FROM geo_place ORDER BY place');

export const localAuthorityRows = (db: Queryable): Promise<{ code: string; name: string; place: string }[]> =>
  db.query('SELECT lad_code AS code, name, place FROM geo_local_authority ORDER BY lad_code');

export interface NeighbourhoodRow {
  readonly id: string;
  readonly name: string;
  readonly place: string;
  readonly pcnCode: string;
  readonly population: number;
  readonly lsoaCount: number;
}

export const neighbourhoodRows = (db: Queryable): Promise<NeighbourhoodRow[]> =>
  db.query<NeighbourhoodRow>(
    `SELECT n.neighbourhood_id AS id, n.name, n.place, n.pcn_code AS "pcnCode", n.population, count(l.lsoa_code)::BIGINT AS "lsoaCount"
     FROM geo_neighbourhood n LEFT JOIN geo_lsoa l ON l.neighbourhood_id = n.neighbourhood_id GROUP BY ALL ORDER BY n.place, n.neighbourhood_id`,
  );

export interface LsoaRow {
  readonly code: string;
  readonly name: string;
  readonly place: string;
  readonly neighbourhoodId: string | null;
  readonly imdDecile: number;
  readonly imdRank: number;
  readonly population: number;
}

export const lsoaRows = (db: Queryable): Promise<LsoaRow[]> =>
  db.query<LsoaRow>(
    `SELECT lsoa_code AS code, lsoa_name AS name, place, neighbourhood_id AS "neighbourhoodId", imd_decile AS "imdDecile", imd_rank AS "imdRank", pop_total AS population
     FROM geo_lsoa ORDER BY lsoa_code`,
  );

/** One area by its id, from the geography tables: undefined when there is no such area. */
export const placeRow = async (db: Queryable, place: string): Promise<{ name: string; population: number } | undefined> =>
  (await db.query<{ name: string; population: number }>('SELECT name, population FROM geo_place WHERE place = $1', [place]))[0];

export const neighbourhoodRow = async (db: Queryable, id: string): Promise<{ name: string; place: string; population: number } | undefined> =>
  (await db.query<{ name: string; place: string; population: number }>('SELECT name, place, population FROM geo_neighbourhood WHERE neighbourhood_id = $1', [id]))[0];

export const lsoaRow = async (db: Queryable, code: string): Promise<LsoaRow | undefined> =>
  (await db.query<LsoaRow>(
    `SELECT lsoa_code AS code, lsoa_name AS name, place, neighbourhood_id AS "neighbourhoodId", imd_decile AS "imdDecile", imd_rank AS "imdRank", pop_total AS population
     FROM geo_lsoa WHERE lsoa_code = $1`,
    [code],
  ))[0];

/** Whether a neighbourhood id is one of the partnership's. */
export const neighbourhoodExists = async (db: Queryable, id: string): Promise<boolean> => (await neighbourhoodRow(db, id)) !== undefined;

/** The neighbourhood the demo neighbourhood account is bound to: the first of Leeds, else the first of all. */
export const demoNeighbourhoodId = async (db: Queryable): Promise<string | null> =>
  (await db.query<{ id: string }>(`SELECT neighbourhood_id AS id FROM geo_neighbourhood ORDER BY (place = 'leeds') DESC, neighbourhood_id LIMIT 1`))[0]?.id ?? null;
