/**
 * Person-level data as plain rows: the shape both indicator engines can be fed (the in-memory
 * reference engine takes it directly; the DuckDB store reads a database into it and builds a
 * database from it), so one spec suite can give every engine exactly the same input.
 */
import type { Geography } from '../geography/types.js';
import type { TableName } from '../schema/tables.js';

/**
 * A value in a row: dates are 'YYYY-MM-DD' text, timestamps 'YYYY-MM-DD HH:MM:SS' text, booleans
 * booleans, numbers numbers (person ids may be numbers or text: they are compared as text), and
 * missing values null (or an absent key).
 */
export type PlainValue = string | number | boolean | null;
export type PlainRow = { readonly [column: string]: PlainValue | undefined };
export type PlainTables = { readonly [T in TableName]?: readonly PlainRow[] };

/** Where an LSOA sits in the partnership, for breakdowns. */
export interface PlainLsoa {
  readonly code: string;
  readonly place: string;
  readonly ladCode: string;
  readonly neighbourhoodId: string;
  /** IMD 2019 decile, 1 = most deprived. */
  readonly imdDecile: number;
  readonly imdQuintile: number;
}

/** Every person-level table as rows plus the LSOA lookup (people living elsewhere are not counted). */
export interface IndicatorData {
  readonly tables: PlainTables;
  readonly lsoas: readonly PlainLsoa[];
  /**
   * The salt of the people's record keys (disclosure control), for rows that do not carry
   * person.record_key themselves; without either, engines return cells without keys.
   */
  readonly recordKeySalt?: string;
}

/** The record key salt of the spec suites and tests (never used for real data, whose salt is random). */
export const TEST_RECORD_KEY_SALT = 'openphm-test-record-keys';

/** The LSOA lookup of a geography. */
export const lsoaLookupOf = (geography: Geography): PlainLsoa[] =>
  geography.lsoas.map((l) => ({
    code: l.code,
    place: l.place,
    ladCode: l.ladCode,
    neighbourhoodId: l.neighbourhoodId,
    imdDecile: l.imdDecile,
    imdQuintile: l.imdQuintile,
  }));

/** Indicator data from a geography and row objects (record keys from the test salt unless the rows carry them). */
export const indicatorDataFrom = (geography: Geography, tables: PlainTables, recordKeySalt: string = TEST_RECORD_KEY_SALT): IndicatorData => ({ tables, lsoas: lsoaLookupOf(geography), recordKeySalt });
