export { buildDatabase, windowEndOf, FINISH_STEP, LOAD_STEP, type BuildOptions, type BuildProgress, type BuildSummary } from './build.js';
export { openDatabase, type OpenOptions, type PhmDatabase, type SqlParam, type SqlRow, type SqlValue } from './database.js';
export { populationInfo, type PeopleCount, type PopulationInfo } from './info.js';
export { renderDataModel, DATA_MODEL_DOC_PATH, REGENERATE_COMMAND } from './data-model-doc.js';
export { AUX_TABLES, GEO_TABLES, META_TABLE, SCHEMA_VERSION, schemaDdl, type AuxTableDefinition, type GeoTableName } from './ddl.js';
export { discoverInputs, type InputFile, type TableInput } from './csv-input.js';
export * from './phm/index.js';
export * from './indicators/index.js';
export * from './care/evaluation.js';
