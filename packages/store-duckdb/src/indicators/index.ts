export {
  aggregateBreakdowns,
  aggregatePeriods,
  aggregatePersonProportions,
  createDuckDbEngine,
  indicatorSql,
  personProportionGroup,
  prepareSharedCounting,
  type DuckDbEngineOptions,
  type SharedCounting,
} from './engine.js';
export { INDICATOR_BASE_TABLES, indicatorTables } from './tables.js';
export {
  buildDatabaseFromRows,
  readIndicatorData,
  writeTableCsvs,
  type BuildFromRowsOptions,
} from './data.js';
