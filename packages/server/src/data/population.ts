/** Population aggregates from the DuckDB store; every count goes out through core's publication module. */
import { ESP2013, UserError, disclosureStatement, publishCounts, sumKeyed } from '@openphm/core';
import { lastDataDay, lsoaRow, neighbourhoodRow, placeRow, placeRows, residentCounts } from '@openphm/store-duckdb';
import { PopulationSummary, type PopulationSummaryT } from '@openphm/api-contract';
import { memoised, type ServerContext } from '../context.js';
import { canonicalParams } from '../cache.js';
import type { PhmData } from './phm-data.js';
import { neighbourhoodNames, shownName } from './neighbourhood-names.js';
import { csvCount, toCsv } from '../csv.js';
import type { PublishedTable } from '../tables.js';

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
export const referenceDate = (data: PhmData): Promise<string> => lastDataDay(data, new Date().toISOString().slice(0, 10));

/**
 * The reference date of the data version being served, read once per version and day (the meta table's window): what a
 * request uses, so that no request queries the meta table behind a long query on the main connection (it cost about 9 ms of
 * waiting per care record on 30,000 people, more behind a cohort count).
 */
export const servedReferenceDate = (ctx: ServerContext): Promise<string> => memoised(ctx, `reference-date:${new Date().toISOString().slice(0, 10)}`, () => referenceDate(ctx.data));

type Area = PopulationSummaryT['area'];

/** Describes an area from the geography tables; throws not-found for an unknown id. */
export const describeArea = async (data: PhmData, area: AreaRef): Promise<Area> => {
  const missing = () => new UserError(`no ${area.type} '${area.id}' in this database`, 'not-found');
  switch (area.type) {
    case 'ics': {
      const places = await placeRows(data);
      return { type: 'ics', id: 'ics', name: places[0]?.ics ?? 'ICS', place: null, population2015: places.reduce((t, p) => t + p.population, 0), imdDecile: null, imdRank: null };
    }
    case 'place': {
      const r = await placeRow(data, area.id);
      if (!r) throw missing();
      return { type: 'place', id: area.id, name: r.name, place: area.id, population2015: r.population, imdDecile: null, imdRank: null };
    }
    case 'neighbourhood': {
      const r = await neighbourhoodRow(data, area.id);
      if (!r) throw missing();
      return { type: 'neighbourhood', id: area.id, name: r.name, place: r.place, population2015: r.population, imdDecile: null, imdRank: null };
    }
    case 'lsoa': {
      const r = await lsoaRow(data, area.id);
      if (!r) throw missing();
      return { type: 'lsoa', id: area.id, name: r.name, place: r.place, population2015: r.population, imdDecile: r.imdDecile, imdRank: r.imdRank };
    }
  }
};

export const populationSummary = async (data: PhmData, area: AreaRef): Promise<PopulationSummaryT> => {
  const described = await describeArea(data, area);
  const ref = await referenceDate(data);
  const bands = ESP2013.bands;
  // Each count comes with the cell key of its people (the sum of their record keys): disclosure control perturbs it.
  const counts = await residentCounts(data, area.type, area.id, ref);
  const { by, rows: breakdownRows } = counts.breakdown;
  const cell = counts.pyramid;
  const deciles = Array.from({ length: 10 }, (_, i) => i + 1);
  const decileCounts = deciles.map((d) => counts.decile(d));
  // Every (age band, sex) cell together is one breakdown of the total; so are the deciles, and the areas one level down.
  const published = publishCounts(sumKeyed(decileCounts), {
    pyramid: [...bands.map((_, i) => cell(i, 'F')), ...bands.map((_, i) => cell(i, 'M'))],
    decile: decileCounts,
    breakdown: breakdownRows.map((r) => r.count),
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

/** An area's summary (GET /api/population/summary), neighbourhoods named as admins named them. */
export const areaPopulation = async (ctx: ServerContext, area: string): Promise<PopulationSummaryT> => {
  const [summary, names] = await Promise.all([populationSummary(ctx.data, parseArea(area)), neighbourhoodNames(ctx)]);
  if (names.renamed.size === 0) return summary;
  return {
    ...summary,
    area: summary.area.type === 'neighbourhood' ? { ...summary.area, name: shownName(names, summary.area.id, summary.area.name) } : summary.area,
    breakdown:
      summary.breakdown.by === 'neighbourhood' ? { ...summary.breakdown, rows: summary.breakdown.rows.map((r) => ({ ...r, name: shownName(names, r.id, r.name) })) } : summary.breakdown,
  };
};

/**
 * areaPopulation kept on disk (data/persisted-results.ts): it reads the people and their deaths at
 * the reference date, and shows the neighbourhoods' names.
 */
export const persistedAreaPopulation = async (ctx: ServerContext, area: string): Promise<PopulationSummaryT> => {
  const [date, names] = await Promise.all([servedReferenceDate(ctx), neighbourhoodNames(ctx)]);
  return ctx.results.get(
    ctx.data,
    { kind: 'population', key: `${date}:${canonicalParams({ area })}`, code: 'population', tables: ['person', 'death'], stamps: { 'neighbourhood-names': names.stamp }, schema: PopulationSummary },
    () => areaPopulation(ctx, area),
  );
};

/** One table of the summary as CSV (withheld counts as [c]). */
export const populationCsv = (s: PopulationSummaryT, table: 'pyramid' | 'imd-decile' | 'breakdown'): string => {
  if (table === 'pyramid') return toCsv(['area', 'age_band', 'female', 'male'], s.pyramid.map((r) => [s.area.id, r.ageBand, csvCount(r.female), csvCount(r.male)]));
  if (table === 'imd-decile') return toCsv(['area', 'imd_decile', 'people'], s.byImdDecile.map((r) => [s.area.id, r.imdDecile, csvCount(r.count)]));
  return toCsv(['area', s.breakdown.by, 'name', 'people'], s.breakdown.rows.map((r) => [s.area.id, r.id, r.name, csvCount(r.count)]));
};

/** GET /api/population/summary: an area's summary (as CSV, one of its tables). */
export const populationTable = (ctx: ServerContext, area: string, table: 'pyramid' | 'imd-decile' | 'breakdown'): PublishedTable<typeof PopulationSummary, PopulationSummaryT> => ({
  endpoint: 'population/summary',
  params: { area },
  schema: PopulationSummary,
  compute: () => persistedAreaPopulation(ctx, area),
  csv: (summary) => ({ fileName: `population-${area}-${table}.csv`, text: populationCsv(summary, table) }),
});
