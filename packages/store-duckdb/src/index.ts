export { buildDatabase, windowEndOf, FINISH_STEP, LOAD_STEP, type BuildOptions, type BuildProgress, type BuildSummary, type PreviousPeopleSummary } from './build.js';
export { openDatabase, type LookupDatabase, type OpenOptions, type PhmDatabase, type SqlParam, type SqlRow, type SqlValue } from './database.js';
export { populationInfo, type PeopleCount, type PopulationInfo } from './info.js';
export { renderDataModel, DATA_MODEL_DOC_PATH, REGENERATE_COMMAND } from './data-model-doc.js';
export {
  DELETED_PERSON_TABLE,
  LOAD_HISTORY_TABLE,
  LOAD_KINDS,
  HISTORY_TABLE_NAMES,
  changedTables,
  readDeletedPeople,
  readLoadHistory,
  type DeletedPerson,
  type LoadKind,
  type LoadRecord,
  type TableChange,
} from './load-history.js';
export { AUX_TABLES, GEO_TABLES, META_TABLE, SCHEMA_VERSION, schemaDdl, type AuxTableDefinition, type GeoTableName } from './ddl.js';
export { discoverIdentityInput, discoverInputs, type InputFile, type TableInput } from './csv-input.js';
export * from './phm/index.js';
export * from './indicators/index.js';
export * from './care/evaluation.js';
export { RECORD_KEY_COLUMN, RECORD_KEY_SALT_META, newRecordKeySalt, recordKeySql, syntheticRecordKeySalt } from './record-keys.js';
export * from './care/record-keys.js';
export * from './queries/window.js';
export * from './queries/fingerprints.js';
export * from './queries/geography.js';
export * from './queries/population.js';
export * from './queries/person.js';
export * from './queries/demo.js';
export * from './queries/reach.js';
export * from './queries/worklist.js';
export * from './store-lock.js';
export * from './work-dir.js';
export * from './fhir/import.js';
export * from './fhir/incremental.js';
export { assignPersonIds, readPreviousPeople, type LoadedPatient, type PersonIdCounts, type PreviousPeople } from './fhir/person-ids.js';
export * from './incremental.js';
export { discoverFhirFiles, readFhirFile, typeOfFileName, BUNDLE_TYPES, type ReadItem, type ReadProblem } from './fhir/read.js';
export * from './queries/record.js';
export { identityFileOf, openIdentityStore, IDENTITY_SCHEMA_VERSION, type IdentityStore } from './identity/store.js';
export * from './queries/identity.js';
export * from './queries/relationship.js';
export * from './queries/fhir-export.js';
export * from './person-docs.js';
export * from './swap.js';
