export { aggregateBreakdowns, createDuckDbEngine, indicatorSql, type DuckDbEngineOptions } from './engine.js';
export {
  buildDatabaseFromRows,
  readIndicatorData,
  writeTableCsvs,
  type BuildFromRowsOptions,
  type IndicatorData,
  type PlainLsoa,
  type PlainRow,
  type PlainTables,
  type PlainValue,
} from './data.js';
