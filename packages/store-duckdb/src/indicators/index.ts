export { aggregateBreakdowns, createDuckDbEngine, indicatorSql, type DuckDbEngineOptions } from './engine.js';
export {
  buildDatabaseFromRows,
  readIndicatorData,
  writeTableCsvs,
  type BuildFromRowsOptions,
} from './data.js';
