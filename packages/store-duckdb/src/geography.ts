/** Loads the partnership geography into the geo_* lookup tables. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ICS_NAME, InternalError, PLACES, PLACE_IDS, type Geography, type PlaceId } from '@openphm/core';
import { GEO_TABLES, type AuxTableDefinition, type GeoTableName } from './ddl.js';

export type AuxValue = string | number | null;

const byKey = <T>(key: (row: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Rows of every geo_* table, in column order and sorted by key (so the database content is reproducible). */
export const geographyRows = (geo: Geography): Record<GeoTableName, AuxValue[][]> => {
  const placePopulation = new Map<PlaceId, number>();
  for (const l of geo.lsoas) placePopulation.set(l.place, (placePopulation.get(l.place) ?? 0) + l.population.total);
  const places = new Set<PlaceId>([...geo.lsoas.map((l) => l.place), ...geo.localAuthorities.map((l) => l.place), ...geo.practices.map((p) => p.place)]);
  return {
    geo_lsoa: [...geo.lsoas].sort(byKey((l) => l.code)).map((l) => [
      l.code, l.name, l.ladCode, l.ladName, l.place, l.neighbourhoodId, l.imdRank, l.imdDecile, l.imdQuintile, l.healthDeprivationRank,
      l.population.total, l.population.age0to15, l.population.age16to59, l.population.age60plus, l.centroid[0], l.centroid[1],
    ]),
    geo_neighbourhood: [...geo.neighbourhoods].sort(byKey((n) => n.id)).map((n) => [n.id, n.name, n.place, n.pcnCode, n.population]),
    geo_practice: [...geo.practices]
      .sort(byKey((p) => p.code))
      .map((p) => [p.code, p.name, p.postcode, p.place, p.pcnCode, p.subIcbCode, p.imdScore, p.imdDecile]),
    geo_pcn: [...geo.pcns].sort(byKey((p) => p.code)).map((p) => [p.code, p.name, p.place, p.subIcbCode, p.imdScore]),
    geo_local_authority: [...geo.localAuthorities].sort(byKey((l) => l.code)).map((l) => [l.code, l.name, l.place]),
    geo_place: PLACE_IDS.filter((id) => places.has(id)).map((id) => [id, PLACES[id].name, geo.icsName || ICS_NAME, placePopulation.get(id) ?? 0]),
  };
};

/** Appends rows to a table through DuckDB's appender (small lookup tables only; person-level data is bulk loaded from CSV). */
export const appendRows = async (connection: DuckDBConnection, def: AuxTableDefinition, rows: readonly AuxValue[][]): Promise<void> => {
  const appender = await connection.createAppender(def.name);
  try {
    for (const row of rows) {
      def.columns.forEach((column, i) => {
        const value = row[i];
        if (value === null || value === undefined) {
          if (!column.nullable) throw new InternalError(`${def.name}.${column.name}: missing value in row ${JSON.stringify(row)}`);
          appender.appendNull();
          return;
        }
        switch (column.type) {
          case 'varchar':
            appender.appendVarchar(String(value));
            return;
          case 'integer':
            if (typeof value !== 'number' || !Number.isInteger(value)) {
              throw new InternalError(`${def.name}.${column.name}: ${JSON.stringify(value)} is not a whole number`);
            }
            appender.appendInteger(value);
            return;
          case 'double':
            if (typeof value !== 'number') throw new InternalError(`${def.name}.${column.name}: ${JSON.stringify(value)} is not a number`);
            appender.appendDouble(value);
            return;
          default:
            throw new InternalError(`${def.name}.${column.name}: unsupported lookup column type ${column.type}`);
        }
      });
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
};

export const loadGeographyTables = async (connection: DuckDBConnection, geo: Geography): Promise<Record<GeoTableName, number>> => {
  const rows = geographyRows(geo);
  const counts = {} as Record<GeoTableName, number>;
  for (const def of GEO_TABLES) {
    await appendRows(connection, def, rows[def.name]);
    counts[def.name] = rows[def.name].length;
  }
  return counts;
};

