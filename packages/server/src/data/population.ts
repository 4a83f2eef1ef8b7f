/** Population aggregates from the DuckDB store; every count goes out through core's publication module. */
import { ESP2013, UserError, cellKeyFromSum, disclosureStatement, publishCounts, sumKeyed, type KeyedCount } from '@openphm/core';
import type { PopulationSummaryT } from '@openphm/api-contract';
import type { PhmData } from './phm-data.js';

export type AreaType = 'ics' | 'place' | 'neighbourhood' | 'lsoa';
export interface AreaRef {
  readonly type: AreaType;
  readonly id: string;
}

export const parseArea = (text: string): AreaRef => {
  if (text === 'ics') return { type: 'ics', id: 'ics' };
  const i = text.indexOf(':');
  const type = text.slice(0, i);
  if (i < 0 || !['place', 'neighbourhood', 'lsoa'].includes(type)) throw new UserError(`area must be ics, place:<id>, neighbourhood:<id> or lsoa:<code>, got '${text}'`);
  return { type: type as AreaType, id: text.slice(i + 1) };
};

/** The last day of the data window (from the meta table), or today when the database does not say. */
export const referenceDate = async (data: PhmData): Promise<string> => {
  const rows = await data.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'window_end'`);
  const end = rows[0]?.value;
  if (end !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(end)) {
    const d = new Date(`${end}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  return new Date().toISOString().slice(0, 10);
};

type Area = PopulationSummaryT['area'];

/** Describes an area from the geography tables; throws not-found for an unknown id. */
export const describeArea = async (data: PhmData, area: AreaRef): Promise<Area> => {
  const missing = () => new UserError(`no ${area.type} '${area.id}' in this database`, 'not-found');
  switch (area.type) {
    case 'ics': {
      const [r] = await data.query<{ name: string | null; population: number | null }>(
        'SELECT min(ics_name) AS name, sum(population)::BIGINT AS population FROM geo_place',
      );
      return { type: 'ics', id: 'ics', name: r?.name ?? 'ICS', place: null, population2015: r?.population ?? 0, imdDecile: null, imdRank: null };
    }
    case 'place': {
      const [r] = await data.query<{ name: string; population: number }>('SELECT name, population FROM geo_place WHERE place = $1', [area.id]);
      if (!r) throw missing();
      return { type: 'place', id: area.id, name: r.name, place: area.id, population2015: r.population, imdDecile: null, imdRank: null };
    }
    case 'neighbourhood': {
      const [r] = await data.query<{ name: string; place: string; population: number }>(
        'SELECT name, place, population FROM geo_neighbourhood WHERE neighbourhood_id = $1',
        [area.id],
      );
      if (!r) throw missing();
      return { type: 'neighbourhood', id: area.id, name: r.name, place: r.place, population2015: r.population, imdDecile: null, imdRank: null };
    }
    case 'lsoa': {
      const [r] = await data.query<{ name: string; place: string; population: number; decile: number; rank: number }>(
        'SELECT lsoa_name AS name, place, pop_total AS population, imd_decile AS decile, imd_rank AS rank FROM geo_lsoa WHERE lsoa_code = $1',
        [area.id],
      );
      if (!r) throw missing();
      return { type: 'lsoa', id: area.id, name: r.name, place: r.place, population2015: r.population, imdDecile: r.decile, imdRank: r.rank };
    }
  }
};

const FILTER: Record<AreaType, string> = {
  ics: 'true',
  place: 'l.place = $2',
  neighbourhood: 'l.neighbourhood_id = $2',
  lsoa: 'l.lsoa_code = $2',
};

/** People alive and resident in the area on the reference date ($1), with their age then. */
const peopleSql = (area: AreaRef): string => `
  SELECT p.person_id, p.record_key, p.sex, date_sub('year', p.date_of_birth, $1::DATE) AS age, l.place, l.neighbourhood_id, l.lsoa_code, l.imd_decile
  FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
  WHERE p.date_of_birth <= $1::DATE
    AND NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = p.person_id AND d.date_of_death <= $1::DATE)
    AND ${FILTER[area.type]}`;

export const populationSummary = async (data: PhmData, area: AreaRef): Promise<PopulationSummaryT> => {
  const described = await describeArea(data, area);
  const ref = await referenceDate(data);
  const params = area.type === 'ics' ? [ref] : [ref, area.id];
  const people = peopleSql(area);
  const bands = ESP2013.bands;
  const last = bands.length - 1;

  // Each count comes with the cell key of its people (the sum of their record keys): disclosure control perturbs it.
  const COUNT = 'count(x.person_id)::BIGINT AS n, coalesce(sum(x.record_key), 0)::BIGINT AS k';
  type Counted = { n: number; k: number };
  const keyed = (r: Counted | undefined): KeyedCount => (r === undefined ? { n: 0, key: 0 } : { n: Number(r.n), key: cellKeyFromSum(r.k) });
  const pyramidRows = await data.query<Counted & { band: number; sex: string }>(
    `SELECT least(x.age // 5, ${last})::INTEGER AS band, x.sex, ${COUNT} FROM (${people}) x GROUP BY ALL`,
    params,
  );
  const decileRows = await data.query<Counted & { decile: number }>(`SELECT x.imd_decile AS decile, ${COUNT} FROM (${people}) x GROUP BY ALL`, params);

  let by: PopulationSummaryT['breakdown']['by'] = 'none';
  let breakdownRows: (Counted & { id: string; name: string })[] = [];
  if (area.type === 'ics') {
    by = 'place';
    breakdownRows = await data.query(`SELECT g.place AS id, g.name, ${COUNT} FROM geo_place g LEFT JOIN (${people}) x ON x.place = g.place GROUP BY ALL ORDER BY g.place`, params);
  } else if (area.type === 'place') {
    by = 'neighbourhood';
    breakdownRows = await data.query(
      `SELECT g.neighbourhood_id AS id, g.name, ${COUNT} FROM geo_neighbourhood g LEFT JOIN (${people}) x ON x.neighbourhood_id = g.neighbourhood_id
       WHERE g.place = $2 GROUP BY ALL ORDER BY g.neighbourhood_id`,
      params,
    );
  } else if (area.type === 'neighbourhood') {
    by = 'lsoa';
    breakdownRows = await data.query(
      `SELECT g.lsoa_code AS id, g.lsoa_name AS name, ${COUNT} FROM geo_lsoa g LEFT JOIN (${people}) x ON x.lsoa_code = g.lsoa_code
       WHERE g.neighbourhood_id = $2 GROUP BY ALL ORDER BY g.lsoa_code`,
      params,
    );
  }

  const cell = (band: number, sex: string) => keyed(pyramidRows.find((r) => r.band === band && r.sex === sex));
  const deciles = Array.from({ length: 10 }, (_, i) => i + 1);
  const decileCounts = deciles.map((d) => keyed(decileRows.find((r) => Number(r.decile) === d)));
  // Every (age band, sex) cell together is one breakdown of the total; so are the deciles, and the areas one level down.
  const published = publishCounts(sumKeyed(decileCounts), {
    pyramid: [...bands.map((_, i) => cell(i, 'F')), ...bands.map((_, i) => cell(i, 'M'))],
    decile: decileCounts,
    breakdown: breakdownRows.map(keyed),
  });
  return {
    area: described,
    referenceDate: ref,
    total: published.total,
    pyramid: bands.map((b, i) => ({ ageBand: b.label, female: published.sections.pyramid[i] ?? null, male: published.sections.pyramid[bands.length + i] ?? null })),
    byImdDecile: deciles.map((d, i) => ({ imdDecile: d, count: published.sections.decile[i] ?? null })),
    breakdown: { by, rows: breakdownRows.map((r, i) => ({ id: r.id, name: r.name, count: published.sections.breakdown[i] ?? null })) },
    disclosure: disclosureStatement(published.suppressedCells),
  };
};
