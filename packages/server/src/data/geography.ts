/** The partnership's geography as stored in the DuckDB database (geo_* tables), shaped for the API. */
import type { Geography } from '@openphm/api-contract';
import { localAuthorityRows, lsoaRows, neighbourhoodRows, placeRows } from '@openphm/store-duckdb';
import { BOUNDARY_ATTRIBUTION, OGL, type LsoaProperties, type NeighbourhoodProperties } from './boundaries.js';
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
    neighbourhoods: neighbourhoods.map((n) => ({ ...n })),
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
