/**
 * The input of the in-memory engine: plain row objects per table (core's IndicatorData), as a
 * DuckDB query or a CSV reader would give them, and the few facts about each LSOA that breakdowns need.
 */
export {
  indicatorDataFrom as memoryDataFrom,
  lsoaLookupOf,
  type IndicatorData as MemoryData,
  type PlainLsoa as MemoryLsoa,
  type PlainRow as MemoryRow,
  type PlainTables as MemoryTables,
  type PlainValue as MemoryValue,
} from '@openphm/core';
