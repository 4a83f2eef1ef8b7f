/**
 * The input of the in-memory engine: plain row objects per table, as a DuckDB query or a CSV
 * reader would give them, and the few facts about each LSOA that breakdowns need.
 */
import type { Geography, TableName } from '@openphm/core';

/**
 * A value in a row: dates are 'YYYY-MM-DD' text, timestamps 'YYYY-MM-DD HH:MM:SS' text, booleans
 * booleans, numbers numbers (person ids may be numbers or text: they are compared as text), and
 * missing values null (or an absent key).
 */
export type MemoryValue = string | number | boolean | null;
export type MemoryRow = { readonly [column: string]: MemoryValue | undefined };
export type MemoryTables = { readonly [T in TableName]?: readonly MemoryRow[] };

/** Where an LSOA sits in the partnership, for breakdowns. */
export interface MemoryLsoa {
  readonly code: string;
  readonly place: string;
  readonly ladCode: string;
  readonly neighbourhoodId: string;
  /** IMD 2019 decile, 1 = most deprived. */
  readonly imdDecile: number;
  readonly imdQuintile: number;
}

export interface MemoryData {
  readonly tables: MemoryTables;
  /** The partnership's LSOAs: people living elsewhere are not counted. */
  readonly lsoas: readonly MemoryLsoa[];
}

/** The LSOA lookup of a geography. */
export const lsoaLookupOf = (geography: Geography): MemoryLsoa[] =>
  geography.lsoas.map((l) => ({
    code: l.code,
    place: l.place,
    ladCode: l.ladCode,
    neighbourhoodId: l.neighbourhoodId,
    imdDecile: l.imdDecile,
    imdQuintile: l.imdQuintile,
  }));

/** Engine input from a geography and row objects. */
export const memoryDataFrom = (geography: Geography, tables: MemoryTables): MemoryData => ({ tables, lsoas: lsoaLookupOf(geography) });
