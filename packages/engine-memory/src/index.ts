export { createMemoryEngine, ageOn, compareCells, expectedOf, type MemoryEngineOptions } from './engine.js';
export { lsoaLookupOf, memoryDataFrom, type MemoryData, type MemoryLsoa, type MemoryRow, type MemoryTables, type MemoryValue } from './data.js';
export { computeFeaturesInMemory } from './features.js';
export { recordKeyOf } from './record-key.js';
export { carerLinksForInMemory, cohortForPurposeInMemory, includedInMemory, optOutsByPerson, personIdsForInMemory, type CarerLinkRow } from './purposes.js';
