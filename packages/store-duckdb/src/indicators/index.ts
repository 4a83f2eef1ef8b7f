export { aggregateBreakdowns, aggregatePeriods, aggregatePersonProportions, createDuckDbEngine, indicatorSql, type DuckDbEngineOptions } from './engine.js';
export { INDICATOR_BASE_TABLES, indicatorTables } from './tables.js';
export {
  buildDatabaseFromRows,
  readIndicatorData,
  writeTableCsvs,
  type BuildFromRowsOptions,
} from './data.js';
