/** The partnership's geography as stored in the DuckDB database (geo_* tables), shaped for the API. */
import type { FeatureCollection, Geography } from '@openphm/api-contract';
import { localAuthorityRows, lsoaRows, neighbourhoodRows, placeRows } from '@openphm/store-duckdb';
import { cached, type ServerContext } from '../context.js';
import { objectsToCsv } from '../csv.js';
import type { CsvFile } from '../tables.js';
import { BOUNDARY_ATTRIBUTION, OGL, loadLsoaPolygons, lsoaFeatureCollection, neighbourhoodFeatureCollection, type LsoaProperties, type NeighbourhoodProperties } from './boundaries.js';
import { neighbourhoodNames, shownName } from './neighbourhood-names.js';
import type { PhmData } from './phm-data.js';

export const geographySummary = async (data: PhmData): Promise<Geography> => {
  const places = await placeRows(data);
  const localAuthorities = await localAuthorityRows(data);
  const neighbourhoods = await neighbourhoodRows(data);
  const lsoas = await lsoaRows(data);
  return {
    ics: { name: places[0]?.ics ?? 'ICS', population: places.reduce((s, p) => s + p.population, 0) },
    places: places.map(({ id, name, population }) => ({ id, name, population })),
    localAuthorities,
    neighbourhoods: neighbourhoods.map((n) => ({ ...n, pcnName: n.name })),
    lsoaCount: lsoas.length,
    populationNote: 'Populations are mid-2015 resident estimates (IoD 2019 denominators), published ONS figures: not derived from person-level data.',
    metadata: { attribution: BOUNDARY_ATTRIBUTION, licence: OGL },
  };
};

export const lsoaProperties = async (data: PhmData): Promise<LsoaProperties[]> => (await lsoaRows(data)).map((l) => ({ ...l }));

export const neighbourhoodProperties = async (data: PhmData): Promise<{ neighbourhoods: NeighbourhoodProperties[]; lsoaCodesOf: Map<string, string[]> }> => {
  const neighbourhoods = (await neighbourhoodRows(data)).map(({ id, name, place, population }) => ({ id, name, place, population })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lsoaCodesOf = new Map<string, string[]>();
  for (const l of await lsoaRows(data)) if (l.neighbourhoodId !== null) (lsoaCodesOf.get(l.neighbourhoodId) ?? lsoaCodesOf.set(l.neighbourhoodId, []).get(l.neighbourhoodId)!).push(l.code);
  return { neighbourhoods, lsoaCodesOf };
};

/** The geography of the current data version, neighbourhoods named as admins named them (cached). */
export const geography = async (ctx: ServerContext): Promise<Geography> => {
  const names = await neighbourhoodNames(ctx);
  return cached(ctx, 'geography', { names: names.stamp }, async () => {
    const geo = await geographySummary(ctx.data);
    return { ...geo, neighbourhoods: geo.neighbourhoods.map((n) => ({ ...n, name: shownName(names, n.id, n.pcnName) })) };
  });
};

/** One table of the geography as CSV. */
export const geographyCsv = (geo: Geography, table: 'places' | 'neighbourhoods' | 'local-authorities'): CsvFile => ({
  fileName: `${table}.csv`,
  text:
    table === 'places'
      ? objectsToCsv(['id', 'name', 'population'], geo.places)
      : table === 'local-authorities'
        ? objectsToCsv(['code', 'name', 'place'], geo.localAuthorities)
        : objectsToCsv(['id', 'name', 'place', 'pcnCode', 'population', 'lsoaCount'], geo.neighbourhoods),
});

/** LSOA boundaries (simplified) with their properties. */
export const lsoaGeojson = async (ctx: ServerContext): Promise<FeatureCollection> => lsoaFeatureCollection(await loadLsoaPolygons(ctx.sharedDataDir), await lsoaProperties(ctx.data));

/** Neighbourhood outlines: their LSOAs dissolved. */
export const neighbourhoodGeojson = async (ctx: ServerContext): Promise<FeatureCollection> => {
  const { neighbourhoods, lsoaCodesOf } = await neighbourhoodProperties(ctx.data);
  const names = await neighbourhoodNames(ctx);
  const named = neighbourhoods.map((n) => ({ ...n, name: shownName(names, n.id, n.name) }));
  return neighbourhoodFeatureCollection(await loadLsoaPolygons(ctx.sharedDataDir), named, lsoaCodesOf);
};

/** Place outlines (their LSOAs dissolved), for the outcome map's place level. */
export const placeGeojson = async (ctx: ServerContext): Promise<FeatureCollection> => {
  const lsoaCodesOf = new Map<string, string[]>();
  for (const l of await lsoaRows(ctx.data)) (lsoaCodesOf.get(l.place) ?? lsoaCodesOf.set(l.place, []).get(l.place)!).push(l.code);
  const places = (await placeRows(ctx.data)).map(({ id, name, population }) => ({ id, name, place: id, population }));
  return neighbourhoodFeatureCollection(await loadLsoaPolygons(ctx.sharedDataDir), places, lsoaCodesOf);
};

/** What the neighbourhood outlines' ETag and cache entry follow: the data version (by sendDataDocument) and the names. */
export const neighbourhoodGeojsonName = async (ctx: ServerContext): Promise<string> => `neighbourhoods.geojson@${(await neighbourhoodNames(ctx)).stamp}`;
