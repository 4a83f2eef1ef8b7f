/** The partnership's geography as stored in the DuckDB database (geo_* tables). */
import type { Geography } from '@openphm/api-contract';
import { BOUNDARY_ATTRIBUTION, OGL, type LsoaProperties, type NeighbourhoodProperties } from './boundaries.js';
import type { PhmData } from './phm-data.js';

export const geographySummary = async (data: PhmData): Promise<Geography> => {
  const places = await data.query<{ id: string; name: string; population: number; ics: string }>(
    'SELECT place AS id, name, population, ics_name AS ics FROM geo_place ORDER BY place',
  );
  const localAuthorities = await data.query<{ code: string; name: string; place: string }>(
    'SELECT lad_code AS code, name, place FROM geo_local_authority ORDER BY lad_code',
  );
  const neighbourhoods = await data.query<{ id: string; name: string; place: string; pcnCode: string; population: number; lsoaCount: number }>(
    `SELECT n.neighbourhood_id AS id, n.name, n.place, n.pcn_code AS "pcnCode", n.population, count(l.lsoa_code)::BIGINT AS "lsoaCount"
     FROM geo_neighbourhood n LEFT JOIN geo_lsoa l ON l.neighbourhood_id = n.neighbourhood_id GROUP BY ALL ORDER BY n.place, n.neighbourhood_id`,
  );
  const [lsoas] = await data.query<{ n: number }>('SELECT count(*)::BIGINT AS n FROM geo_lsoa');
  return {
    ics: { name: places[0]?.ics ?? 'ICS', population: places.reduce((s, p) => s + p.population, 0) },
    places: places.map(({ id, name, population }) => ({ id, name, population })),
    localAuthorities,
    neighbourhoods,
    lsoaCount: lsoas?.n ?? 0,
    populationNote: 'Populations are mid-2015 resident estimates (IoD 2019 denominators), published ONS figures: not derived from person-level data.',
    metadata: { attribution: BOUNDARY_ATTRIBUTION, licence: OGL },
  };
};

export const lsoaProperties = (data: PhmData): Promise<LsoaProperties[]> =>
  data.query<LsoaProperties>(
    `SELECT lsoa_code AS code, lsoa_name AS name, place, neighbourhood_id AS "neighbourhoodId", imd_decile AS "imdDecile", imd_rank AS "imdRank", pop_total AS population
     FROM geo_lsoa ORDER BY lsoa_code`,
  );

export const neighbourhoodProperties = async (data: PhmData): Promise<{ neighbourhoods: NeighbourhoodProperties[]; lsoaCodesOf: Map<string, string[]> }> => {
  const neighbourhoods = await data.query<NeighbourhoodProperties>(
    'SELECT neighbourhood_id AS id, name, place, population FROM geo_neighbourhood ORDER BY neighbourhood_id',
  );
  const links = await data.query<{ id: string; code: string }>('SELECT neighbourhood_id AS id, lsoa_code AS code FROM geo_lsoa ORDER BY lsoa_code');
  const lsoaCodesOf = new Map<string, string[]>();
  for (const l of links) (lsoaCodesOf.get(l.id) ?? lsoaCodesOf.set(l.id, []).get(l.id)!).push(l.code);
  return { neighbourhoods, lsoaCodesOf };
};
